import Foundation

/// Where a model's learned tensors come from: a safetensors checkpoint (names are field paths with an
/// optional prefix, `model.layers.0.mlp.experts.3.gate_proj.weight`), or seeded random values.
public final class WeightSource: @unchecked Sendable {
  /// Prepended to every weight name (`model.` for HF decoder checkpoints).
  public let prefix: String
  let file: SafetensorsFile?
  let seed: UInt64
  public private(set) var loaded: [String] = []

  public init(file: SafetensorsFile?, seed: UInt64 = 0, prefix: String = "") {
    self.file = file
    self.seed = seed
    self.prefix = prefix
  }

  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// The tensor named `name`, which the program declares with `shape`.
  func tensor(_ name: String, shape: [Int]) throws -> Tensor {
    loaded.append(name)
    if let file {
      guard file.entries[name] != nil else {
        throw Failure(description: "missing weight '\(name)' (expected shape \(shape)) in the checkpoint")
      }
      let t = try file.tensor(name)
      guard t.shape == shape else {
        throw Failure(description: "weight '\(name)' has shape \(t.shape), but the program declares \(shape)")
      }
      return t
    }
    return random(name, shape: shape)
  }

  /// Seeded values, the same for the same seed and name on every machine: uniform in ±1/√fan-in for
  /// matrices, ones for 1-D `weight` (norm scales), small values for biases.
  func random(_ name: String, shape: [Int]) -> Tensor {
    let count = shape.reduce(1, *)
    var state = seed ^ fnv1a(name)
    let bound: Float
    var base: Float = 0
    if shape.count >= 2 {
      bound = 1 / Float(max(1, shape[1])).squareRoot()
    } else if name.hasSuffix("weight") {
      bound = 0.05
      base = 1
    } else {
      bound = 0.1
    }
    var data = [Float](repeating: 0, count: count)
    for i in 0..<count {
      let u = Float(splitmix64(&state) >> 40) / Float(1 << 24)
      data[i] = base + (2 * u - 1) * bound
    }
    return Tensor(shape: shape, data: data)
  }
}

/// splitmix64: a tiny, well-mixed, platform-independent generator for seeded weights and inputs.
public func splitmix64(_ state: inout UInt64) -> UInt64 {
  state &+= 0x9E37_79B9_7F4A_7C15
  var z = state
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

func fnv1a(_ s: String) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
  return h
}
