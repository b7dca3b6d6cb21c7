import Foundation

/// Writes a file so that it is never half-written: the new bytes go to a temporary file beside it (same
/// directory, so the rename stays on one file system), which is flushed, given the original's permissions,
/// and renamed over the original in one step. A file that changed on disk since it was read is not touched.
public enum SafeWriter {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// - Parameter beforeRename: called with the temporary file's path once it is complete, just before the
  ///   rename (a test's seam: it may stop the process there).
  public static func write(_ bytes: [UInt8], to path: String, expectedOriginal: [UInt8],
                           beforeRename: (String) -> Void = { _ in }) throws {
    let fm = FileManager.default
    guard let now = fm.contents(atPath: path), [UInt8](now) == expectedOriginal else {
      throw Failure(description: "\(path): file changed on disk since it was read; not written")
    }
    let attributes = try? fm.attributesOfItem(atPath: path)
    let mode = (attributes?[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o644
    // Split by hand: `NSString.deletingLastPathComponent` traps on Linux for a one-character path.
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[..<$0]) } ?? "."
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let temp = (dir.isEmpty && slash != nil ? "" : dir) + "/.\(base).metalint-\(getpid()).tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode_t(mode))
    guard fd >= 0 else {
      throw Failure(description: "\(path): cannot create temporary file '\(temp)': \(reason())")
    }
    var ok = true
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
      var off = 0
      while off < raw.count {
        let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
        if n <= 0 {
          failure = n < 0 ? errno : ENOSPC
          ok = false
          return
        }
        off += n
      }
    }
    if ok && !(fchmod(fd, mode_t(mode)) == 0 && fsync(fd) == 0) {
      failure = errno
      ok = false
    }
    close(fd)
    guard ok else {
      unlink(temp)
      throw Failure(description: "\(path): cannot write temporary file '\(temp)': \(reason(failure))")
    }
    beforeRename(temp)
    guard rename(temp, path) == 0 else {
      let why = reason()
      unlink(temp)
      throw Failure(description: "\(path): cannot replace the file: \(why)")
    }
  }

  /// The system's text for an errno value (the current one by default).
  public static func reason(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
  }
}
