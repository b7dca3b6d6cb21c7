import Foundation
import ModelDSL

/// Finds and reads the `.mdl` files named on the command line: files as given, directories searched
/// recursively (hidden directories skipped), in a stable order.
enum Inputs {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static func collect(_ paths: [String]) throws -> [(path: String, bytes: [UInt8])] {
    let fm = FileManager.default
    var files: [String] = []
    for p in paths.isEmpty ? ["."] : paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
        throw Failure(description: "\(p): no such file or directory")
      }
      if isDir.boolValue {
        guard let walker = fm.enumerator(atPath: p) else {
          throw Failure(description: "\(p): cannot read directory")
        }
        var found: [String] = []
        while let rel = walker.nextObject() as? String {
          let name = (rel as NSString).lastPathComponent
          if name.hasPrefix(".") {
            if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { walker.skipDescendants() }
            continue
          }
          if rel.hasSuffix(".mdl") {
            found.append(p == "." ? rel : (p.hasSuffix("/") ? p + rel : p + "/" + rel))
          }
        }
        files.append(contentsOf: found.sorted())
      } else {
        files.append(p)
      }
    }
    // One file named twice (`a.mdl ./a.mdl`, or a directory and a file in it) is read once, under the first
    // spelling: read twice, every declaration in it would be a redeclaration.
    var seen = Set<String>()
    var out: [(String, [UInt8])] = []
    for f in files where seen.insert(URL(fileURLWithPath: f).standardizedFileURL.resolvingSymlinksInPath().path).inserted {
      guard fm.isReadableFile(atPath: f), let data = fm.contents(atPath: f) else {
        throw Failure(description: "\(f): cannot read file")
      }
      out.append((f, [UInt8](data)))
    }
    return out
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
