/// Where a layer being built takes its weights from: the weight source and the layer's field path.
public struct BuildContext: Sendable {
  public let weights: WeightSource
  /// The layer's path from the model root, prefix included (`model.layers.0.mlp`).
  public let path: String
  /// Worker threads for the kernels of layers built in this context.
  public let threads: Int

  public init(weights: WeightSource, path: String, threads: Int = 2) {
    self.weights = weights
    self.path = path
    self.threads = threads
  }

  /// The root context of a model: the weight source's prefix.
  public init(root weights: WeightSource, threads: Int = 2) {
    self.init(weights: weights, path: weights.prefix, threads: threads)
  }

  /// The context of a sub-layer built for field (or list index) `name`.
  public func child(_ name: String) -> BuildContext {
    BuildContext(weights: weights, path: BuildContext.join(path, name), threads: threads)
  }

  /// `parameter(name, shape)`: the learned tensor `<path>.<name>`.
  public func parameter(_ name: String, _ shape: [Int]) throws -> TensorRef {
    let full = BuildContext.join(path, name)
    return TensorRef(try weights.tensor(full, shape: shape), parameterName: full)
  }

  static func join(_ a: String, _ b: String) -> String {
    if a.isEmpty { return b }
    if a.hasSuffix(".") { return a + b }
    return a + "." + b
  }
}
