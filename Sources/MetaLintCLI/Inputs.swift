import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL

/// Finds and reads the `.mdl` files named on the command line: files as given, directories searched
/// recursively (hidden entries skipped), in a stable order.
enum Inputs {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static func collect(_ paths: [String]) throws -> [(path: String, bytes: [UInt8])] {
    // (path as shown, canonical path for de-duplication)
    var files: [(String, String)] = []
    for p in paths.isEmpty ? ["."] : paths {
      var st = stat()
      guard stat(p, &st) == 0 else { throw Failure(description: "\(p): no such file or directory") }
      guard let real = realPath(p) else { throw Failure(description: "\(p): cannot resolve path") }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        var found: [String] = []
        guard walk(p, into: &found) else { throw Failure(description: "\(p): cannot read directory") }
        let prefix = p == "." ? "" : (p.hasSuffix("/") ? p : p + "/")
        for rel in found.sorted() { files.append((prefix + rel, real + "/" + rel)) }
      } else {
        files.append((p, real))
      }
    }
    // One file named twice (`a.mdl ./a.mdl`, or a directory and a file in it) is read once, under the first
    // spelling: read twice, every declaration in it would be a redeclaration.
    var seen = Set<String>()
    let unique = files.filter { seen.insert($0.1).inserted }.map { $0.0 }
    // Read in parallel: many small files are dominated by system-call latency.
    let contents = parallelMap(count: unique.count, workers: unique.count >= 64 ? 4 : 1) { i in readFile(unique[i]) }
    var out: [(String, [UInt8])] = []
    for (f, bytes) in zip(unique, contents) {
      guard let bytes else { throw Failure(description: "\(f): cannot read file") }
      out.append((f, bytes))
    }
    return out
  }

  /// The checked program at `paths`, or nil (its findings printed on stderr as `check` prints them) when it
  /// has an error finding: `run` and `compile` refuse such a program.
  static func errorFreeProgram(_ paths: [String]) throws -> LintResult? {
    let result = Linter.check(files: try collect(paths))
    guard result.errorCount == 0 else {
      printError(TextReporter.render(result, color: false))
      return nil
    }
    return result
  }

  /// Appends the `.mdl` files below `dir` (paths relative to it), skipping hidden files and directories.
  static func walk(_ dir: String, relative: String = "", into found: inout [String]) -> Bool {
    guard let d = opendir(dir) else { return false }
    defer { closedir(d) }
    while let entry = readdir(d) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name.hasPrefix(".") { continue }
      let path = dir + "/" + name
      let rel = relative.isEmpty ? name : relative + "/" + name
      var isDir = Int32(entry.pointee.d_type) == Int32(DT_DIR)
      var isFile = Int32(entry.pointee.d_type) == Int32(DT_REG)
      if !isDir && !isFile {
        // DT_UNKNOWN or a link: ask stat (which follows links, as the walker always did).
        var st = stat()
        guard stat(path, &st) == 0 else { continue }
        isDir = (st.st_mode & S_IFMT) == S_IFDIR
        isFile = (st.st_mode & S_IFMT) == S_IFREG
      }
      if isDir {
        _ = walk(path, relative: rel, into: &found)
      } else if isFile && name.hasSuffix(".mdl") {
        found.append(rel)
      }
    }
    return true
  }

  static func realPath(_ p: String) -> String? {
    guard let r = realpath(p, nil) else { return nil }
    defer { free(r) }
    return String(cString: r)
  }
}

/// A whole file's bytes, or nil when it cannot be opened or read.
func readFile(_ path: String) -> [UInt8]? {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var st = stat()
  guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else { return nil }
  var out = [UInt8](repeating: 0, count: Int(st.st_size))
  var filled = 0
  while true {
    if filled == out.count { out.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
    let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
    if n < 0 { return nil }
    if n == 0 { break }
    filled += n
  }
  out.removeSubrange(filled...)
  return out
}
