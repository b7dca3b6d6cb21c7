import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL

/// Finds and reads the `.mdl` files named on the command line: files as given, directories searched
/// recursively (hidden entries skipped), in a stable order.
///
/// A directory is walked once however it is reached (by device and inode), so a directory link is followed
/// once and a link loop is skipped; a file reached twice (two spellings, a link, a hard link) is read once,
/// under its first spelling.
enum Inputs {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The files of one run: the program (named files first, in order, then the files around them), and which
  /// of them were named (directly or inside a named directory), the ones findings are reported for.
  struct Collected {
    var files: [(path: String, bytes: [UInt8])] = []
    /// Indices into `files` of the named files.
    var named: Set<Int> = []
  }

  /// The files named by `paths` (the current directory when empty), without the files around them.
  static func collect(_ paths: [String]) throws -> [(path: String, bytes: [UInt8])] {
    if paths.contains("-") { throw Failure(description: "'-' (standard input) is accepted by 'check' only") }
    return try collect(paths, stdin: nil, withContext: false).files
  }

  /// The files of `paths`; `-` stands for `stdin` (shown as its name). With `withContext`, a named file
  /// brings along every `.mdl` file of its directory (the same walk as a directory PATH), so that a file of
  /// a multi-file program is checked against the rest of it.
  static func collect(_ paths: [String], stdin: (name: String, bytes: [UInt8])?,
                      withContext: Bool) throws -> Collected {
    var walker = Walker()
    var named: [Entry] = []
    var contextDirs: [String] = []
    for p in paths.isEmpty ? ["."] : paths {
      if p == "-" {
        guard let stdin else { throw Failure(description: "'-': standard input is not available") }
        var st = stat()
        let onDisk = stat(stdin.name, &st) == 0 ? FileID(st) : nil
        named.append(Entry(path: stdin.name, id: onDisk, bytes: stdin.bytes))
        if withContext && stdin.name != "<stdin>" { contextDirs.append(PathText.directory(of: stdin.name)) }
        continue
      }
      var st = stat()
      guard stat(p, &st) == 0 else { throw Failure(description: "\(p): no such file or directory") }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        let prefix = p == "." ? "" : (p.hasSuffix("/") ? p : p + "/")
        guard let found = walker.walk(p, prefix: prefix) else {
          throw Failure(description: "\(p): cannot read directory")
        }
        named += found
      } else {
        named.append(Entry(path: p, id: FileID(st), bytes: nil))
        if withContext { contextDirs.append(PathText.directory(of: p)) }
      }
    }
    var context: [Entry] = []
    for dir in contextDirs {
      let prefix = dir == "." ? "" : (dir.hasSuffix("/") ? dir : dir + "/")
      context += walker.walk(dir, prefix: prefix) ?? []
    }
    // One file reached twice (`a.mdl ./a.mdl`, a directory and a file in it, a link) is read once, under the
    // first spelling: read twice, every declaration in it would be a redeclaration.
    var seen = Set<FileID>()
    var unique: [(entry: Entry, named: Bool)] = []
    for (e, isNamed) in named.map({ ($0, true) }) + context.map({ ($0, false) }) {
      if let id = e.id, !seen.insert(id).inserted { continue }
      unique.append((e, isNamed))
    }
    // Read in parallel: many small files are dominated by system-call latency.
    let contents = parallelMap(count: unique.count, workers: unique.count >= 64 ? 4 : 1) { i in
      unique[i].entry.bytes ?? readFile(unique[i].entry.path)
    }
    var out = Collected()
    for (i, (u, bytes)) in zip(unique, contents).enumerated() {
      guard let bytes else { throw Failure(description: "\(u.entry.path): cannot read file") }
      out.files.append((u.entry.path, bytes))
      if u.named { out.named.insert(i) }
    }
    if out.named.isEmpty {
      let shown = (paths.isEmpty ? ["."] : paths).map { "'\($0)'" }.joined(separator: ", ")
      throw Failure(description: "no files to check: no *.mdl file in \(shown)")
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

  /// A file system object, for telling two spellings (or links) of one file or directory apart.
  struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ st: stat) {
      device = UInt64(st.st_dev)
      inode = UInt64(st.st_ino)
    }
  }

  /// A file to read: its path as shown, its identity, and its bytes when already known (standard input).
  struct Entry {
    var path: String
    var id: FileID?
    var bytes: [UInt8]?
  }

  /// Walks directories, each at most once per run.
  struct Walker {
    var visited = Set<FileID>()

    /// The `.mdl` files below `dir`, shown as `prefix` + their path relative to it, sorted; hidden files and
    /// directories skipped. Nil when `dir` cannot be read; empty when it was walked before.
    mutating func walk(_ dir: String, prefix: String) -> [Entry]? {
      var st = stat()
      guard stat(dir, &st) == 0 else { return nil }
      guard visited.insert(FileID(st)).inserted else { return [] }
      var found: [Entry] = []
      guard walk(dir, relative: "", into: &found) else { return nil }
      found.sort { $0.path < $1.path }
      return found.map { Entry(path: prefix + $0.path, id: $0.id, bytes: nil) }
    }

    mutating func walk(_ dir: String, relative: String, into found: inout [Entry]) -> Bool {
      guard let d = opendir(dir) else { return false }
      defer { closedir(d) }
      var subdirectories: [(String, String)] = []
      while let entry = readdir(d) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name.hasPrefix(".") { continue }
        let path = dir + "/" + name
        let rel = relative.isEmpty ? name : relative + "/" + name
        let type = Int32(entry.pointee.d_type)
        if type != Int32(DT_DIR) && type != Int32(DT_REG) && type != Int32(DT_LNK) && type != Int32(DT_UNKNOWN) {
          continue
        }
        if type == Int32(DT_REG) && !name.hasSuffix(".mdl") { continue }
        // stat follows links: a link to a directory is walked (once), a link to a file read.
        var st = stat()
        guard stat(path, &st) == 0 else { continue }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
          if visited.insert(FileID(st)).inserted { subdirectories.append((path, rel)) }
        case S_IFREG where name.hasSuffix(".mdl"):
          found.append(Entry(path: rel, id: FileID(st), bytes: nil))
        default:
          break
        }
      }
      for (path, rel) in subdirectories { _ = walk(path, relative: rel, into: &found) }
      return true
    }
  }
}

/// Path text handled without Foundation's path methods (`NSString.deletingLastPathComponent` traps on
/// Linux for a one-character path).
enum PathText {
  /// The directory part of `path`: `a/b.mdl` → `a`, `b.mdl` → `.`, `/b.mdl` → `/`.
  static func directory(of path: String) -> String {
    var s = Substring(path)
    while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
    guard let slash = s.lastIndex(of: "/") else { return "." }
    let dir = s[..<slash]
    if dir.isEmpty { return "/" }
    var d = dir
    while d.count > 1 && d.hasSuffix("/") { d = d.dropLast() }
    return String(d)
  }

  /// Whether `path` names a directory (following links).
  static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  /// The canonical absolute path, or nil when it does not exist.
  static func real(_ p: String) -> String? {
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
  return readAll(fd)
}

/// Everything readable from `fd` (a file, a pipe), or nil on a read error or a directory.
func readAll(_ fd: Int32) -> [UInt8]? {
  var st = stat()
  guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else { return nil }
  var out = [UInt8](repeating: 0, count: max(0, Int(st.st_size)))
  var filled = 0
  while true {
    if filled == out.count { out.append(contentsOf: [UInt8](repeating: 0, count: max(4096, out.count))) }
    let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
    if n < 0 {
      if errno == EINTR { continue }
      return nil
    }
    if n == 0 { break }
    filled += n
  }
  out.removeSubrange(filled...)
  return out
}
