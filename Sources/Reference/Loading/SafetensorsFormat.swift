// safetensors, the HF weight format:
//   bytes 0..<8       N, the header length, unsigned 64-bit little-endian
//   bytes 8..<8+N     a UTF-8 JSON object {name: {"dtype", "shape", "data_offsets": [begin, end]}} plus an
//                     optional "__metadata__" string→string map; it starts with '{' and may end in spaces
//   bytes 8+N...      the data buffer: every tensor little-endian, row-major, packed; offsets are relative
// to
//                     the buffer start, half-open, and the tensors tile the buffer exactly (no holes, no
// overlap)

/// An element type of the safetensors format.
public enum SafetensorsDType: String, Sendable, CaseIterable {
  case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3", f8e8m0 = "F8_E8M0"
  case f8e4m3fnuz = "F8_E4M3FNUZ", f8e5m2fnuz = "F8_E5M2FNUZ"
  case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
  case i32 = "I32", u32 = "U32", f32 = "F32"
  case i64 = "I64", u64 = "U64", f64 = "F64", c64 = "C64"
  case f4 = "F4", f6e2m3 = "F6_E2M3", f6e3m2 = "F6_E3M2"

  /// Bits per element.
  public var bits: Int {
    switch self {
    case .f4: return 4
    case .f6e2m3, .f6e3m2: return 6
    case .bool, .u8, .i8, .f8e5m2, .f8e4m3, .f8e8m0, .f8e4m3fnuz, .f8e5m2fnuz: return 8
    case .i16, .u16, .f16, .bf16: return 16
    case .i32, .u32, .f32: return 32
    case .i64, .u64, .f64, .c64: return 64
    }
  }

  /// Whether `SafetensorsFile.tensor(_:)` can widen this dtype to Float32.
  public var isReadable: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

/// A malformed or hostile safetensors file, or a request the reader cannot serve. The message names the
/// tensor when one is at fault.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
  /// What is wrong, in one line.
  public let message: String
  /// Wraps `message`.
  public init(_ message: String) { self.message = message }
  /// The message.
  public var description: String { "safetensors: " + message }
}

/// One tensor's header entry, validated.
public struct SafetensorsEntry: Sendable, Equatable {
  /// The tensor name (the header key).
  public let name: String
  /// Element type.
  public let dtype: SafetensorsDType
  /// Extents; [] is a scalar.
  public let shape: [Int]
  /// Byte range relative to the start of the data buffer.
  public let byteRange: Range<Int>
}

/// Round-to-nearest-even Float32 → BF16 bits (NaN stays a quiet NaN), as torch's `.to(torch.bfloat16)`.
func bf16Bits(_ f: Float) -> UInt16 {
  if f.isNaN { return 0x7FC0 }
  let b = f.bitPattern
  return UInt16(truncatingIfNeeded: (b &+ 0x7FFF &+ ((b >> 16) & 1)) >> 16)
}
