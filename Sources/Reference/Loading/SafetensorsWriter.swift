import Foundation
import MetaCore

/// Writes safetensors files: F32 or BF16 tensors, an optional `__metadata__` map, the header padded with
/// spaces to a multiple of 8 bytes, tensors ordered by descending element size and then by name (as the
/// reference writer does, so every tensor is aligned to its element size).
public enum SafetensorsWriter {
  /// One tensor to write.
  public struct Item: Sendable {
    /// Header key.
    public var name: String
    /// Values.
    public var tensor: Tensor
    /// `.f32` or `.bf16` (rounded to nearest even).
    public var dtype: SafetensorsDType
    /// An item; `dtype` defaults to F32.
    public init(_ name: String, _ tensor: Tensor, dtype: SafetensorsDType = .f32) {
      self.name = name
      self.tensor = tensor
      self.dtype = dtype
    }
  }

  /// The bytes of a safetensors file holding `items`.
  public static func encode(_ items: [Item], metadata: [String: String] = [:]) throws -> Data {
    var seen = Set<String>()
    for item in items {
      guard item.dtype == .f32 || item.dtype == .bf16 else {
        throw SafetensorsError(
          "tensor '\(item.name)': the writer writes F32 or BF16, not \(item.dtype.rawValue)")
      }
      guard item.name != "__metadata__", seen.insert(item.name).inserted else {
        throw SafetensorsError("tensor '\(item.name)': duplicate or reserved name")
      }
    }
    let ordered = items.sorted { ($0.dtype.bits, $1.name) > ($1.dtype.bits, $0.name) }
    var header = "{"
    var parts: [String] = []
    if !metadata.isEmpty {
      let fields = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      parts.append("\"__metadata__\":{" + fields.joined(separator: ",") + "}")
    }
    var offset = 0
    for item in ordered {
      let size = item.tensor.count * item.dtype.bits / 8
      let shape = item.tensor.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(item.name)):{\"dtype\":\"\(item.dtype.rawValue)\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(offset),\(offset + size)]}")
      offset += size
    }
    header += parts.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
    var out = Data(capacity: 8 + headerBytes.count + offset)
    var n = UInt64(headerBytes.count).littleEndian
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(contentsOf: headerBytes)
    for item in ordered {
      switch item.dtype {
      case .bf16:
        var bits = item.tensor.data.map { bf16Bits($0).littleEndian }
        bits.withUnsafeMutableBytes { out.append(contentsOf: $0) }
      default:
        var bits = item.tensor.data.map { $0.bitPattern.littleEndian }
        bits.withUnsafeMutableBytes { out.append(contentsOf: $0) }
      }
    }
    return out
  }

  /// Writes `items` to `url` atomically.
  public static func write(_ items: [Item], metadata: [String: String] = [:], to url: URL) throws {
    let data = try encode(items, metadata: metadata)
    do { try data.write(to: url, options: .atomic) } catch {
      throw SafetensorsError("cannot write \(url.path): \(error.localizedDescription)")
    }
  }

  /// `s` as a JSON string literal.
  static func jsonString(_ s: String) -> String { JSONValue.string(s).serialized(indent: nil) }
}
