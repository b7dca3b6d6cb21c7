import Foundation

/// A validated safetensors file held in memory (memory-mapped when read from disk).
///
/// `init` checks everything before any tensor data is touched: the header length (≤ 100 MB and ≤ file size
/// − 8), a JSON object header, every entry's dtype, shape and offsets (overflow-checked sizes that match
/// the offsets), and that the entries tile the data buffer exactly. After that, `tensor(_:)` cannot read
/// out of bounds. Every failure is a `SafetensorsError`; nothing traps on bad input.
public struct SafetensorsFile: Sendable {
  /// The largest header accepted, as in the reference implementation.
  public static let maxHeaderLength = 100_000_000

  /// The `__metadata__` map (empty when absent).
  public let metadata: [String: String]
  /// The entries by name.
  public let entries: [String: SafetensorsEntry]
  /// The file bytes.
  private let bytes: Data
  /// File offset of the data buffer, 8 + N.
  private let dataStart: Int

  /// Tensor names, sorted.
  public var names: [String] { entries.keys.sorted() }

  /// Reads and validates the file at `url`.
  public init(contentsOf url: URL) throws {
    let data: Data
    do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
      throw SafetensorsError("cannot read \(url.path): \(error.localizedDescription)")
    }
    try self.init(data: data)
  }

  /// Validates `data`, a whole safetensors file.
  public init(data: Data) throws {
    bytes = data
    let size = data.count
    guard size >= 8 else { throw SafetensorsError("file is \(size) bytes, too short for the header length") }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
    guard n <= UInt64(Self.maxHeaderLength) else {
      throw SafetensorsError("header length \(n) exceeds the \(Self.maxHeaderLength)-byte limit")
    }
    guard n <= UInt64(size - 8) else {
      throw SafetensorsError("header length \(n) runs past the end of the \(size)-byte file")
    }
    let headerLength = Int(n)
    dataStart = 8 + headerLength
    let header = data.subdata(in: data.startIndex + 8..<data.startIndex + dataStart)
    guard header.first == UInt8(ascii: "{") else { throw SafetensorsError("header does not start with '{'") }
    guard String(data: header, encoding: .utf8) != nil else { throw SafetensorsError("header is not UTF-8") }
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: header) } catch {
      throw SafetensorsError("header is not valid JSON")
    }
    guard let dict = object as? [String: Any] else { throw SafetensorsError("header is not a JSON object") }
    let bufferSize = size - dataStart
    var metadata: [String: String] = [:], entries: [String: SafetensorsEntry] = [:]
    for (name, value) in dict {
      if name == "__metadata__" {
        guard let m = value as? [String: Any] else {
          throw SafetensorsError("__metadata__ is not an object")
        }
        for (k, v) in m {
          guard let s = v as? String else {
            throw SafetensorsError("__metadata__ value of '\(k)' is not a string")
          }
          metadata[k] = s
        }
        continue
      }
      entries[name] = try Self.entry(name, value, bufferSize: bufferSize)
    }
    try Self.checkTiling(Array(entries.values), bufferSize: bufferSize)
    self.metadata = metadata
    self.entries = entries
  }

  /// Validates one header entry.
  private static func entry(_ name: String, _ value: Any, bufferSize: Int) throws -> SafetensorsEntry {
    guard let e = value as? [String: Any] else {
      throw SafetensorsError("tensor '\(name)': entry is not an object")
    }
    guard let dtypeName = e["dtype"] as? String else {
      throw SafetensorsError("tensor '\(name)': missing dtype")
    }
    guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
      throw SafetensorsError("tensor '\(name)': unknown dtype '\(dtypeName)'")
    }
    guard let shapeList = e["shape"] as? [Any] else {
      throw SafetensorsError("tensor '\(name)': missing shape")
    }
    var shape: [Int] = []
    for v in shapeList {
      guard let d = integer(v), d >= 0 else {
        throw SafetensorsError("tensor '\(name)': shape \(shapeList) is not a list of non-negative integers")
      }
      shape.append(d)
    }
    guard let offsets = e["data_offsets"] as? [Any], offsets.count == 2,
      let begin = integer(offsets[0]), let end = integer(offsets[1])
    else { throw SafetensorsError("tensor '\(name)': data_offsets must be [begin, end] integers") }
    guard begin >= 0 && begin <= end && end <= bufferSize else {
      throw SafetensorsError(
        "tensor '\(name)': data_offsets [\(begin), \(end)] outside the \(bufferSize)-byte buffer")
    }
    var count = 1
    for d in shape {
      let (p, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow else { throw SafetensorsError("tensor '\(name)': shape \(shape) overflows") }
      count = p
    }
    let (bits, overflow) = count.multipliedReportingOverflow(by: dtype.bits)
    guard !overflow else { throw SafetensorsError("tensor '\(name)': shape \(shape) overflows") }
    guard bits % 8 == 0 else {
      throw SafetensorsError("tensor '\(name)': \(count) \(dtype.rawValue) values do not fill whole bytes")
    }
    guard bits / 8 == end - begin else {
      throw SafetensorsError(
        "tensor '\(name)': \(dtype.rawValue) \(shape) needs \(bits / 8) bytes, "
          + "data_offsets give \(end - begin)")
    }
    return SafetensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
  }

  /// A JSON integer (not a boolean, not a float) that fits in Int.
  private static func integer(_ v: Any) -> Int? {
    guard let n = v as? NSNumber else { return nil }
    let type = String(cString: n.objCType)
    guard ["i", "s", "l", "q", "I", "S", "L", "Q"].contains(type) else { return nil }  // "c" bool, "d" float
    return v as? Int
  }

  /// Sorted by offset, the entries must start at 0, follow each other without gap or overlap, and end at the
  /// end of the buffer.
  private static func checkTiling(_ entries: [SafetensorsEntry], bufferSize: Int) throws {
    let sorted = entries.sorted {
      ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < (
        $1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name
      )
    }
    var position = 0, previous = "the start of the buffer"
    for e in sorted {
      if e.byteRange.lowerBound < position {
        throw SafetensorsError(
          "tensor '\(e.name)' overlaps \(previous) (begins at \(e.byteRange.lowerBound) < \(position))")
      }
      if e.byteRange.lowerBound > position {
        throw SafetensorsError(
          "gap before tensor '\(e.name)': bytes \(position)..<\(e.byteRange.lowerBound) are unused")
      }
      position = e.byteRange.upperBound
      previous = "tensor '\(e.name)'"
    }
    if position != bufferSize {
      throw SafetensorsError("data buffer is \(bufferSize) bytes but the tensors cover \(position)")
    }
  }

  /// The tensor `name`, widened to Float32 (F32, F16 and BF16).
  public func tensor(_ name: String) throws -> Tensor {
    guard let e = entries[name] else { throw SafetensorsError("no tensor named '\(name)'") }
    guard e.dtype.isReadable else {
      throw SafetensorsError("tensor '\(name)': dtype \(e.dtype.rawValue) cannot be read as Float32")
    }
    let count = e.shape.reduce(1, *)
    var out = [Float](repeating: 0, count: count)
    let start = dataStart + e.byteRange.lowerBound
    bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      let p = raw.baseAddress! + start  // validated: start + byte size ≤ file size
      switch e.dtype {
      case .f32:
        for i in 0..<count {
          out[i] = Float(
            bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      case .bf16:
        for i in 0..<count {
          let b = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
          out[i] = Float(bitPattern: UInt32(b) << 16)
        }
      case .f16:
        for i in 0..<count {
          let b = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
          out[i] = Float(Float16(bitPattern: b))
        }
      default: break
      }
    }
    return Tensor(shape: e.shape, data: out)
  }

  /// The integer tensor `name` (token ids and the like) as [Int], row-major, with its shape.
  /// Reads I64, I32, I16, I8, U64, U32, U16, U8 and BOOL; U64 values above Int.max are an error.
  public func integers(_ name: String) throws -> (shape: [Int], values: [Int]) {
    guard let e = entries[name] else { throw SafetensorsError("no tensor named '\(name)'") }
    let count = e.shape.reduce(1, *)
    var out = [Int](repeating: 0, count: count)
    var tooLarge = false
    let start = dataStart + e.byteRange.lowerBound
    try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      let p = raw.baseAddress! + start
      switch e.dtype {
      case .i64:
        for i in 0..<count {
          out[i] = Int(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
        }
      case .u64:
        for i in 0..<count {
          let v = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
          if v > UInt64(Int.max) { tooLarge = true } else { out[i] = Int(v) }
        }
      case .i32:
        for i in 0..<count {
          out[i] = Int(Int32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
        }
      case .u32:
        for i in 0..<count {
          out[i] = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      case .i16:
        for i in 0..<count {
          out[i] = Int(Int16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
        }
      case .u16:
        for i in 0..<count {
          out[i] = Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
      case .i8: for i in 0..<count { out[i] = Int(p.load(fromByteOffset: i, as: Int8.self)) }
      case .u8, .bool: for i in 0..<count { out[i] = Int(p.load(fromByteOffset: i, as: UInt8.self)) }
      default:
        throw SafetensorsError("tensor '\(name)': dtype \(e.dtype.rawValue) is not an integer type")
      }
    }
    if tooLarge { throw SafetensorsError("tensor '\(name)': a U64 value does not fit in Int") }
    return (e.shape, out)
  }
}
