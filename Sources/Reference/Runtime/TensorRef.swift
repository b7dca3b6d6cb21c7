/// A tensor value of the interpreter and of compiled layers. Boxed so that a weight is packed for the GEMM kernel once and reused:
/// the packed form is cached on the box that the layer's field holds.
public final class TensorRef: @unchecked Sendable {
  public let tensor: Tensor
  /// The weight name when this tensor is a learned parameter (`layers.0.mlp.gate.weight`).
  public let parameterName: String?
  private var packedWeight: PackedWeight?

  public init(_ tensor: Tensor, parameterName: String? = nil) {
    self.tensor = tensor
    self.parameterName = parameterName
  }

  /// The tensor packed as a Linear weight [N, K]; cached.
  public var packed: PackedWeight {
    if let p = packedWeight { return p }
    let p = PackedWeight(tensor)
    packedWeight = p
    return p
  }
}
