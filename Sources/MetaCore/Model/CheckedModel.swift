/// The checked model: what a front end (ModelDSL, Python) knows about a program once it has resolved names,
/// types and calls, in the only form the rules read. Flat arrays indexed by ids; nothing points back into a
/// syntax tree, so the rules, the call graph and the fixes work the same for every language.
///
/// Vocabulary: a **function** is anything a call can reach and bind arguments to (a method, an external
/// primitive, a constructor, a record's fields); a **call** has arguments and one **target** per alternative
/// its callee may be (a union receiver has several); a **context** is a type threaded per step
/// (`ForwardMeta`); a **scope value** is a value of a context type visible at a call.
public final class CheckedModel: @unchecked Sendable {
  public let names: NameTable
  public let sources: SourceManager
  /// Which files fixes may edit (the user's files; not the prelude or a library), by file id.
  public var editable: [Bool] = []
  /// How many of the program's files the user checks (the summary's count).
  public var checkedFileCount = 0
  /// Whether fixes pass a context by keyword even where it could go by position (Python's habit).
  public var passesContextsByKeyword = false

  public var contexts: [ModelContext] = []
  public var classes: [ModelClass] = []
  public var functions: [ModelFunction] = []
  public var parameters: [ModelParameter] = []
  public var calls: [ModelCall] = []
  public var arguments: [ModelArgument] = []
  public var targets: [ModelTarget] = []
  /// For each target, one entry per callee parameter: the bound argument's index within the call, or -1.
  public var bindings: [Int32] = []
  public var issues: [BindingIssue] = []
  /// Out-of-order keyword argument indices, per target.
  public var outOfOrder: [Int32] = []
  public var scopeValues: [ModelScopeValue] = []
  /// Base facts: a function reads its parameter directly (an attribute read, a store, a test...).
  public var directUses: [DirectUse] = []
  /// Type descriptions for messages, shared by every parameter and argument of a type.
  public var typeTexts: [String] = []
  /// Syntax, name and type errors the front end found (reported as `unresolved`).
  public var diagnostics: [Diagnostic] = []
  /// Suppression comments and what each covers.
  public var suppressions: [ModelSuppression] = []
  /// Renders fix intents into text edits in the program's own syntax.
  public var renderer: any FixRenderer

  public init(names: NameTable, sources: SourceManager, renderer: any FixRenderer) {
    self.names = names
    self.sources = sources
    self.renderer = renderer
  }

  public func str(_ n: Name) -> String { names.string(n) }
  public func text(_ r: SourceRange) -> String { sources.file(r).text(r.byteRange) }

  public func parameters(of f: FunctionID) -> ArraySlice<ModelParameter> {
    parameters[functions[f.index].parameters.range]
  }
  public func parameter(_ f: FunctionID, _ i: Int) -> ModelParameter {
    parameters[Int(functions[f.index].parameters.start) + i]
  }
  public func arguments(of c: CallID) -> ArraySlice<ModelArgument> { arguments[calls[c.index].arguments.range] }
  public func argument(_ c: CallID, _ i: Int) -> ModelArgument { arguments[Int(calls[c.index].arguments.start) + i] }
  public func targets(of c: CallID) -> ArraySlice<ModelTarget> { targets[calls[c.index].targets.range] }
  public func scope(of c: CallID) -> ArraySlice<ModelScopeValue> { scopeValues[calls[c.index].scope.range] }
  /// The argument bound to parameter `pi` of target `t`, if any.
  public func bound(_ t: ModelTarget, _ pi: Int) -> Int? {
    let a = bindings[Int(t.binding.start) + pi]
    return a < 0 ? nil : Int(a)
  }
  public func issues(of t: ModelTarget) -> ArraySlice<BindingIssue> { issues[t.issues.range] }
  public func outOfOrder(of t: ModelTarget) -> ArraySlice<Int32> { outOfOrder[t.outOfOrder.range] }
  public func typeText(_ i: Int32) -> String { typeTexts[Int(i)] }
  public func isEditable(_ range: SourceRange) -> Bool {
    Int(range.file) < editable.count && editable[Int(range.file)]
  }
}

/// `start..<start+count` into one of the model's arrays.
public struct Span32: Sendable, Hashable {
  public var start: Int32
  public var count: Int32
  public init(start: Int, count: Int) {
    self.start = Int32(start)
    self.count = Int32(count)
  }
  public static let empty = Span32(start: 0, count: 0)
  public var range: Range<Int> { Int(start)..<Int(start + count) }
}

public struct FunctionID: Hashable, Sendable, Comparable {
  public let raw: Int32
  public init(_ i: Int) { raw = Int32(i) }
  public var index: Int { Int(raw) }
  public static func < (a: FunctionID, b: FunctionID) -> Bool { a.raw < b.raw }
}

public struct ClassID: Hashable, Sendable {
  public let raw: Int32
  public init(_ i: Int) { raw = Int32(i) }
  public var index: Int { Int(raw) }
}

public struct ContextID: Hashable, Sendable {
  public let raw: Int32
  public init(_ i: Int) { raw = Int32(i) }
  public var index: Int { Int(raw) }
}

public struct CallID: Hashable, Sendable, Comparable {
  public let raw: Int32
  public init(_ i: Int) { raw = Int32(i) }
  public var index: Int { Int(raw) }
  public static func < (a: CallID, b: CallID) -> Bool { a.raw < b.raw }
}

/// A context type (`ForwardMeta`).
public struct ModelContext: Sendable {
  public var name: Name
  public init(name: Name) { self.name = name }
}

/// A layer (a class).
public struct ModelClass: Sendable {
  public var name: Name
  public init(name: Name) { self.name = name }
}

public enum FunctionKind: UInt8, Sendable {
  /// A method of a layer, or a module-level function.
  case method
  /// A primitive with no body in the program: every context parameter counts as used.
  case external
  /// Building a layer (binds its parameters).
  case constructor
  /// Building a config or context (binds its fields).
  case record
}

public struct ModelFunction: Sendable {
  /// The name in messages: `Qwen3MLP.forward`, `k`, `Linear`.
  public var displayName: String
  public var kind: FunctionKind
  public var owner: ClassID?
  public var nameRange: SourceRange
  /// Where a new parameter goes when there is none (the position of `)`).
  public var closeParen: SourceRange
  public var parameters: Span32
  public init(displayName: String, kind: FunctionKind, owner: ClassID?, nameRange: SourceRange,
              closeParen: SourceRange, parameters: Span32) {
    self.displayName = displayName
    self.kind = kind
    self.owner = owner
    self.nameRange = nameRange
    self.closeParen = closeParen
    self.parameters = parameters
  }
  /// A method or an external: something with a body (or a primitive) whose parameters can be used.
  public var isCallable: Bool { kind == .method || kind == .external }
}

public struct ModelParameter: Sendable {
  public var name: Name
  public var kind: ParameterKind
  public var hasDefault: Bool
  /// The type as messages write it, an index into `typeTexts`.
  public var typeText: Int32
  /// The context type when the parameter is a context (`C`, or an optional `C`).
  public var context: ContextID?
  /// The parameter's name.
  public var nameRange: SourceRange
  /// The whole declaration (name, type, default).
  public var range: SourceRange
  public init(name: Name, kind: ParameterKind, hasDefault: Bool, typeText: Int32, context: ContextID?,
              nameRange: SourceRange, range: SourceRange) {
    self.name = name
    self.kind = kind
    self.hasDefault = hasDefault
    self.typeText = typeText
    self.context = context
    self.nameRange = nameRange
    self.range = range
  }
}

/// Whether an argument is a context built on the spot or one taken from somewhere other than the caller's
/// parameters, as far as `fresh-context` cares.
public enum ArgumentFreshness: Sendable, Hashable {
  case none
  /// A newly built context of this type (`ForwardMeta()`).
  case constructed(ContextID)
  /// An expression rooted at `self`, a field or a layer parameter.
  case rootedElsewhere
}

/// What kind of expression an argument is, for wording messages.
public enum ArgumentShape: UInt8, Sendable, Hashable {
  /// A field of a layer (`self.meta`, or a bare name naming a field).
  case field
  /// A parameter of the enclosing layer's constructor.
  case layerParameter
  /// A call.
  case call
  case other
}

public struct ModelArgument: Sendable {
  public var label: Name?
  public var kind: ArgumentKind
  /// The whole argument, label included.
  public var range: SourceRange
  public var valueRange: SourceRange
  /// The value's type for messages, an index into `typeTexts`.
  public var typeText: Int32
  /// The value's type without `nil`, for `a fresh 'T'` (a call's only; else `typeText`).
  public var nonNilTypeText: Int32
  /// The context type when the value is a context (`C` or an optional `C`).
  public var context: ContextID?
  /// The calling function's parameter this value is, directly or through an alias (`let m = meta`).
  public var rootParameter: Int32?
  public var freshness: ArgumentFreshness
  public var shape: ArgumentShape
  /// Whether the value is a bare name (messages quote it: `extra argument 'forwardMeta'`).
  public var isSimpleName: Bool
  public init(label: Name?, kind: ArgumentKind, range: SourceRange, valueRange: SourceRange, typeText: Int32,
              nonNilTypeText: Int32, context: ContextID?, rootParameter: Int32?, freshness: ArgumentFreshness,
              shape: ArgumentShape, isSimpleName: Bool) {
    self.label = label
    self.kind = kind
    self.range = range
    self.valueRange = valueRange
    self.typeText = typeText
    self.nonNilTypeText = nonNilTypeText
    self.context = context
    self.rootParameter = rootParameter
    self.freshness = freshness
    self.shape = shape
    self.isSimpleName = isSimpleName
  }
}

public struct ModelCall: Sendable {
  /// The function whose body makes the call; nil in field initializers, defaults, models, module code.
  public var caller: FunctionID?
  /// Where a finding about the whole call goes: the callee's final name (`experts` in `a.b.experts(…)`).
  public var calleeNameRange: SourceRange
  public var openParen: SourceRange
  public var closeParen: SourceRange
  public var arguments: Span32
  public var targets: Span32
  /// Context values in scope at the call, innermost first.
  public var scope: Span32
  /// The receiver's type was a union (including an optional layer).
  public var receiverIsUnion: Bool
  public init(caller: FunctionID?, calleeNameRange: SourceRange, openParen: SourceRange, closeParen: SourceRange,
              arguments: Span32, targets: Span32, scope: Span32, receiverIsUnion: Bool) {
    self.caller = caller
    self.calleeNameRange = calleeNameRange
    self.openParen = openParen
    self.closeParen = closeParen
    self.arguments = arguments
    self.targets = targets
    self.scope = scope
    self.receiverIsUnion = receiverIsUnion
  }
}

/// One alternative of a call: the function reached and how the arguments bound to it.
public struct ModelTarget: Sendable {
  public var function: FunctionID
  /// The receiver alternative this target belongs to (for naming the alternative that fails), if any.
  public var receiver: ClassID?
  /// Into `bindings`, one per parameter of `function`.
  public var binding: Span32
  public var issues: Span32
  public var outOfOrder: Span32
  /// Whether argument `a` fits parameter `p` (row-major, arguments × parameters), recorded only when a
  /// positional argument is misbound to a context parameter (the slid-argument analysis re-binds then).
  public var fits: [Bool]
  public init(function: FunctionID, receiver: ClassID?, binding: Span32, issues: Span32, outOfOrder: Span32,
              fits: [Bool]) {
    self.function = function
    self.receiver = receiver
    self.binding = binding
    self.issues = issues
    self.outOfOrder = outOfOrder
    self.fits = fits
  }
}

/// A value of a context type visible at a call.
public struct ModelScopeValue: Sendable {
  /// How the value is written when passed (`forwardMeta`, `self.forward_meta`).
  public var name: Name
  public var context: ContextID
  public var declRange: SourceRange
  /// A parameter of the calling function (preferred over locals when passing).
  public var isParameter: Bool
  public init(name: Name, context: ContextID, declRange: SourceRange, isParameter: Bool) {
    self.name = name
    self.context = context
    self.declRange = declRange
    self.isParameter = isParameter
  }
}

/// A function reads its parameter directly at `range`.
public struct DirectUse: Sendable {
  public var function: FunctionID
  public var parameter: Int32
  public var range: SourceRange
  public init(function: FunctionID, parameter: Int, range: SourceRange) {
    self.function = function
    self.parameter = Int32(parameter)
    self.range = range
  }
}

/// A `metalint:ignore` comment and the lines it covers.
public struct ModelSuppression: Sendable {
  public var rules: [String]
  /// The comment itself.
  public var range: SourceRange
  /// Covered lines of its file (0-based, inclusive); nil for a whole-file comment.
  public var lines: ClosedRange<Int>?
  public init(rules: [String], range: SourceRange, lines: ClosedRange<Int>?) {
    self.rules = rules
    self.range = range
    self.lines = lines
  }
}
