import Reference
import ModelDSL

/// A built layer: its declaration, its weight-name prefix, its parameters and fields.
public final class LayerInstance: @unchecked Sendable {
  public let decl: LayerDecl
  /// The field path from the model root (`layers.0.mlp`); empty for the root.
  public let path: String
  public internal(set) var params: [Name: Value] = [:]
  public internal(set) var fields: [Name: Value] = [:]
  /// Field and parameter values by spelling, for `MoEFields`.
  var bySpelling: [String: Value] = [:]
  public let moeCache = MoECacheBox()

  init(decl: LayerDecl, path: String) {
    self.decl = decl
    self.path = path
  }

  /// A field (or else a parameter) by its spelling.
  func lookup(_ name: String) -> Value { bySpelling[name] ?? .none }
}

/// A config or context value.
public final class RecordValue: @unchecked Sendable {
  public let decl: RecordDecl
  public internal(set) var fields: [Name: Value]

  init(decl: RecordDecl, fields: [Name: Value]) {
    self.decl = decl
    self.fields = fields
  }
}

/// A run-time value.
public enum Value: @unchecked Sendable {
  case int(Int)
  case float(Double)
  case bool(Bool)
  case string(String)
  case tensor(TensorRef)
  case none
  case list([Value])
  case range(Int, Int)
  case record(RecordValue)
  case layer(LayerInstance)

  var kindName: String {
    switch self {
    case .int: return "Int"
    case .float: return "Float"
    case .bool: return "Bool"
    case .string: return "String"
    case .tensor(let t): return "Tensor\(t.tensor.shape)"
    case .none: return "nil"
    case .list: return "list"
    case .range: return "range"
    case .record: return "record"
    case .layer(let l): return "layer"
        + (l.path.isEmpty ? "" : " '\(l.path)'")
    }
  }
}

/// A run-time error: where in the program, in which layer, and what.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
  public let message: String
  public let range: SourceRange?
  /// `path:line:col: error: message`, resolved when thrown.
  public let rendered: String

  public var description: String { rendered }
}
