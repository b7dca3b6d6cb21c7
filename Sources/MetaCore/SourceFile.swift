import Foundation

/// One source file of a program: its bytes, exactly as read, and a line table.
///
/// Positions everywhere else are byte offsets into `bytes`; line and column (1-based, the column counted in
/// Unicode scalars, not bytes) are computed only when something is printed.
public final class SourceFile: @unchecked Sendable {
  /// The index of this file in its `SourceManager`.
  public let id: Int
  /// The path as the user gave it (or `<prelude>`), used in every rendered location.
  public let path: String
  /// The raw bytes, byte order mark included; the lexer skips it.
  public let bytes: [UInt8]
  /// Byte offset of the first byte of each line. A line ends at LF, CRLF or a lone CR. Computed on first use:
  /// most files of a clean run never print a location.
  public var lineStarts: [Int32] {
    lock.lock()
    defer { lock.unlock() }
    if let table = lineTable { return table }
    let table = SourceFile.computeLineStarts(bytes)
    lineTable = table
    return table
  }

  private var lineTable: [Int32]?
  private let lock = NSLock()

  public init(id: Int, path: String, bytes: [UInt8]) {
    self.id = id
    self.path = path
    self.bytes = bytes
  }

  public static func computeLineStarts(_ bytes: [UInt8]) -> [Int32] {
    var starts: [Int32] = [0]
    starts.reserveCapacity(bytes.count / 24 + 1)
    bytes.withUnsafeBufferPointer { buf in
      var i = 0
      let n = buf.count
      while i < n {
        let b = buf[i]
        if b > 13 {
          i += 1
          continue
        }
        if b == 10 {
          starts.append(Int32(i + 1))
        } else if b == 13 {
          if i + 1 < n && buf[i + 1] == 10 { i += 1 }
          starts.append(Int32(i + 1))
        }
        i += 1
      }
    }
    return starts
  }

  /// The 0-based line index that contains `offset`.
  public func lineIndex(of offset: Int) -> Int {
    let starts = lineStarts
    var lo = 0
    var hi = starts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// 1-based line and column of a byte offset; the column counts Unicode scalars (UTF-8 lead bytes), so a
  /// multi-byte character is one column. Invalid bytes count one column each.
  public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
    let clamped = max(0, min(offset, bytes.count))
    let line = lineIndex(of: clamped)
    var column = 1
    var i = Int(lineStarts[line])
    // A byte order mark is skipped (spec §3): it takes no column.
    if line == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = min(3, clamped) }
    while i < clamped {
      if bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return (line + 1, column)
  }

  /// The text of a 0-based line, without its line break, decoded leniently.
  public func lineText(_ line: Int) -> String {
    let starts = lineStarts
    guard line >= 0 && line < starts.count else { return "" }
    let start = Int(starts[line])
    var end = line + 1 < starts.count ? Int(starts[line + 1]) : bytes.count
    while end > start && (bytes[end - 1] == 10 || bytes[end - 1] == 13) { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The text of a byte range, decoded leniently.
  public func text(_ range: Range<Int>) -> String {
    let lo = max(0, min(range.lowerBound, bytes.count))
    let hi = max(lo, min(range.upperBound, bytes.count))
    return String(decoding: bytes[lo..<hi], as: UTF8.self)
  }

  /// The line break this file mostly uses, so that inserted lines match their neighbours.
  public var prefersCRLF: Bool {
    var crlf = 0
    var lf = 0
    for i in 0..<bytes.count where bytes[i] == 10 {
      if i > 0 && bytes[i - 1] == 13 { crlf += 1 } else { lf += 1 }
    }
    return crlf > lf
  }
}

/// A half-open byte range `start..<end` in one file.
public struct SourceRange: Hashable, Sendable, Comparable {
  public var file: Int32
  public var start: Int32
  public var end: Int32

  public init(file: Int, start: Int, end: Int) {
    self.file = Int32(file)
    self.start = Int32(start)
    self.end = Int32(max(start, end))
  }

  public var byteRange: Range<Int> { Int(start)..<Int(end) }

  /// The smallest range covering both (same file assumed).
  public func union(_ other: SourceRange) -> SourceRange {
    SourceRange(file: Int(file), start: Int(min(start, other.start)), end: Int(max(end, other.end)))
  }

  public static func < (a: SourceRange, b: SourceRange) -> Bool {
    (a.file, a.start, a.end) < (b.file, b.start, b.end)
  }
}

/// Owns every file of one invocation (the prelude included) and turns ranges into printable locations.
public final class SourceManager: @unchecked Sendable {
  public private(set) var files: [SourceFile] = []

  public init() {}

  /// Registers a file and returns it.
  @discardableResult
  public func add(path: String, bytes: [UInt8]) -> SourceFile {
    let file = SourceFile(id: files.count, path: path, bytes: bytes)
    files.append(file)
    return file
  }

  public func file(_ range: SourceRange) -> SourceFile { files[Int(range.file)] }

  /// A printable start location of a range.
  public func location(_ range: SourceRange) -> SourceLocation {
    let f = file(range)
    let (l, c) = f.lineColumn(of: Int(range.start))
    let (el, ec) = f.lineColumn(of: Int(range.end))
    return SourceLocation(path: f.path, line: l, column: c, endLine: el, endColumn: ec)
  }
}

/// A resolved, printable location: 1-based lines and columns, the end exclusive.
public struct SourceLocation: Hashable, Sendable {
  public var path: String
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int
}
