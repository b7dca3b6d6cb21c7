/// Tells a text file from a binary one before it is lexed: a binary file (an image, a checkpoint, a compiled
/// object renamed `.mdl`) would otherwise yield one diagnostic per stray byte.
public enum TextDetection {
  /// The share of NUL or invalid UTF-8 bytes above which a file is binary.
  public static let maxBadFraction = 0.01
  /// Bad bytes a file may always have: a stray NUL or invalid byte in a text file is a syntax error at its
  /// position (spec §3), so a single one (git's "NUL in the first 8 KB") cannot be the test.
  public static let minBadBytes = 32

  /// The message of the one finding a binary file gets.
  public static let message = "not a text file"

  /// Whether `bytes` is not text: more than `maxBadFraction` of them, and more than `minBadBytes`, are NUL
  /// or invalid UTF-8.
  public static func isBinary(_ bytes: [UInt8]) -> Bool {
    let limit = max(minBadBytes, Int(Double(bytes.count) * maxBadFraction))
    var bad = 0
    bytes.withUnsafeBufferPointer { buf in
      var i = 0
      let n = buf.count
      while i < n {
        let b = buf[i]
        if b != 0 && b < 0x80 {
          i += 1
          continue
        }
        let length = b == 0 ? 0 : sequenceLength(buf, at: i)
        if length == 0 {
          bad += 1
          if bad > limit { return }
          i += 1
        } else {
          i += length
        }
      }
    }
    return bad > limit
  }

  /// The length of the valid multi-byte UTF-8 sequence starting at `i`, or 0 when it is not one.
  static func sequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let b = buf[i]
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch b {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; high = 0x9F
    case 0xF0: length = 4; low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; high = 0x8F
    default: return 0
    }
    guard i + length <= buf.count else { return 0 }
    let second = buf[i + 1]
    guard second >= low && second <= high else { return 0 }
    for k in 2..<max(2, length) where buf[i + k] & 0xC0 != 0x80 { return 0 }
    return length
  }
}
