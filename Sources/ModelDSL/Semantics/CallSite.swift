/// One parameter of whatever a call reaches: a method, an extern, a layer's constructor, a record's fields.
public struct ParamInfo: @unchecked Sendable {
  public var name: Name
  public var type: Ty
  public var hasDefault: Bool
  public var declRange: SourceRange
}

/// What one alternative of a call reaches.
public enum CallTargetKind: @unchecked Sendable {
  /// A layer method (`forward` for a plain call of a layer value).
  case method(FuncDecl)
  case extern(FuncDecl)
  /// Building a layer: binds the layer's parameters.
  case construct(LayerDecl)
  /// Building a config or context: binds its fields.
  case record(RecordDecl)
}

/// One alternative of a call: the target, its parameters, and how the arguments bound.
public struct CallTarget: @unchecked Sendable {
  public var kind: CallTargetKind
  /// The receiver alternative this target belongs to (for naming the alternative that fails), if any.
  public var receiver: LayerDecl?
  public var params: [ParamInfo]
  /// For each parameter, the index of the argument bound to it (nil: unfilled, default or missing).
  public var binding: [Int?]
  public var issues: [BindingIssue]
  /// Labelled arguments bound out of declaration order (the `argument-order` warning), by argument index.
  public var outOfOrder: [Int]
  public var resultType: Ty

  /// The method or extern reached, if any.
  public var function: FuncDecl? {
    switch kind {
    case .method(let f), .extern(let f): return f
    default: return nil
    }
  }
}

/// A context value visible at a call: a parameter or local of type `C` or `C?` (not narrowed to nil).
public struct ScopeContext: @unchecked Sendable {
  public var variable: LocalVar
  public var context: RecordDecl
}

/// A checked call: where it is, who makes it, its arguments, and every alternative it may reach.
public final class CallSite: @unchecked Sendable {
  public let expr: Expr
  /// The method whose body contains the call; nil in field initializers, defaults and models.
  public let caller: FuncDecl?
  /// The layer whose field initializer or method contains the call.
  public let callerLayer: LayerDecl?
  /// Where a finding about the whole call goes: the callee's final name (`experts` in `a.b.experts(…)`).
  public let calleeNameRange: SourceRange
  /// The callee expression's range.
  public let calleeRange: SourceRange
  unowned(unsafe) let file: SourceFile
  /// The callee as written, for messages (`shared_experts`, `self.mlp`, `layers[i].mlp.experts`).
  public var calleeText: String { file.text(calleeRange.byteRange) }
  public let arguments: [Argument]
  public let openParen: SourceRange
  public let closeParen: SourceRange
  public var targets: [CallTarget] = []
  /// Context values in scope at the call, innermost first.
  public var scopeContexts: [ScopeContext] = []
  /// The receiver's type was a union (including optional layers).
  public var receiverIsUnion = false

  public init(expr: Expr, caller: FuncDecl?, callerLayer: LayerDecl?, calleeNameRange: SourceRange,
              calleeRange: SourceRange, file: SourceFile, arguments: [Argument], openParen: SourceRange,
              closeParen: SourceRange) {
    self.expr = expr
    self.caller = caller
    self.callerLayer = callerLayer
    self.calleeNameRange = calleeNameRange
    self.calleeRange = calleeRange
    self.file = file
    self.arguments = arguments
    self.openParen = openParen
    self.closeParen = closeParen
  }
}
