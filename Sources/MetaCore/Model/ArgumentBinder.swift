/// How a parameter takes arguments, as CPython's `inspect.Parameter.kind` says. ModelDSL has only
/// `positionalOrKeyword`.
public enum ParameterKind: UInt8, Sendable, Hashable {
  case positionalOnly, positionalOrKeyword, variadicPositional, keywordOnly, variadicKeyword
}

/// How an argument is passed: `f(x)`, `f(k=x)` / `f(k: x)`, `f(*xs)`, `f(**kw)`.
public enum ArgumentKind: UInt8, Sendable, Hashable {
  case positional, keyword, spread, keywordSpread
}

/// A problem binding a call's arguments to one target's parameters. MetaLint decides which rule reports
/// it: a missing context is a context rule, a missing `Int` is `unresolved`.
public enum BindingIssue: Hashable, Sendable {
  case tooManyPositional(argument: Int)
  case unknownLabel(argument: Int)
  case filledTwice(argument: Int, parameter: Int)
  case positionalAfterLabelled(argument: Int)
  case typeMismatch(argument: Int, parameter: Int)
  case missing(parameter: Int)
}

/// Binds a call's arguments to parameters with CPython's semantics: positional arguments fill the positional
/// parameters in order and the rest go to `*args`; a keyword fills the parameter of that name (not a
/// positional-only one), else `**kwargs`; defaults fill the rest. A `*seq` or `**mapping` argument may hold
/// anything, so after one nothing is missing and no positional is too many. ModelDSL's binding is the subset
/// with every parameter positional-or-keyword and no spreads.
public enum ArgumentBinder {
  /// A parameter as the binder sees it.
  public struct Parameter: Sendable {
    public var name: Name
    public var kind: ParameterKind
    public var hasDefault: Bool
    public init(name: Name, kind: ParameterKind = .positionalOrKeyword, hasDefault: Bool) {
      self.name = name
      self.kind = kind
      self.hasDefault = hasDefault
    }
  }

  /// An argument as the binder sees it.
  public struct Argument: Sendable {
    public var label: Name?
    public var kind: ArgumentKind
    public init(label: Name?, kind: ArgumentKind? = nil) {
      self.label = label
      self.kind = kind ?? (label == nil ? .positional : .keyword)
    }
  }

  public struct Result: Sendable, Equatable {
    /// For each parameter, the argument bound to it (nil: unfilled, default, missing, or a variadic one).
    public var binding: [Int?]
    public var issues: [BindingIssue]
    /// Keyword arguments that come before a keyword argument of an earlier parameter.
    public var outOfOrder: [Int]
  }

  /// Binds `args` to `params`; `fits(a, p)` says whether argument `a`'s value may be passed to parameter `p`.
  public static func bind(params ps: [Parameter], args: [Argument], fits: (Int, Int) -> Bool) -> Result {
    var binding = [Int?](repeating: nil, count: ps.count)
    var issues: [BindingIssue] = []
    var seenLabel = false
    var spread = false
    var position = 0
    let variadic = ps.firstIndex { $0.kind == .variadicPositional }
    let keywords = ps.firstIndex { $0.kind == .variadicKeyword }
    // The parameters positional arguments fill, in order.
    let positionalSlots = ps.indices.filter { ps[$0].kind == .positionalOnly || ps[$0].kind == .positionalOrKeyword }
    for (i, a) in args.enumerated() {
      switch a.kind {
      case .keyword:
        seenLabel = true
        guard let label = a.label,
              let pi = ps.firstIndex(where: {
                $0.name == label && ($0.kind == .positionalOrKeyword || $0.kind == .keywordOnly)
              }) else {
          if keywords == nil { issues.append(.unknownLabel(argument: i)) }
          continue
        }
        if binding[pi] != nil {
          issues.append(.filledTwice(argument: i, parameter: pi))
          continue
        }
        binding[pi] = i
      case .positional:
        if seenLabel {
          issues.append(.positionalAfterLabelled(argument: i))
          continue
        }
        if spread { continue }
        if position >= positionalSlots.count {
          if variadic == nil { issues.append(.tooManyPositional(argument: i)) }
          continue
        }
        binding[positionalSlots[position]] = i
        position += 1
      case .spread:
        spread = true
      case .keywordSpread:
        spread = true
        seenLabel = true
      }
    }
    for (pi, ai) in binding.enumerated() {
      if let ai, !fits(ai, pi) { issues.append(.typeMismatch(argument: ai, parameter: pi)) }
    }
    // After a positional argument that follows a labelled one the call is malformed (Python rejects it
    // outright); the parameter that argument meant to fill is not also reported missing.
    let malformed = issues.contains { if case .positionalAfterLabelled = $0 { return true } else { return false } }
    for pi in 0..<ps.count where binding[pi] == nil && !ps[pi].hasDefault && !malformed && !spread {
      if ps[pi].kind == .variadicPositional || ps[pi].kind == .variadicKeyword { continue }
      issues.append(.missing(parameter: pi))
    }
    var outOfOrder: [Int] = []
    var highest = -1
    var paramOfArgument = [Int?](repeating: nil, count: args.count)
    for (pi, ai) in binding.enumerated() { if let ai { paramOfArgument[ai] = pi } }
    for (i, a) in args.enumerated() where a.kind == .keyword {
      guard let pi = paramOfArgument[i] else { continue }
      if pi < highest { outOfOrder.append(i) } else { highest = pi }
    }
    return Result(binding: binding, issues: issues, outOfOrder: outOfOrder)
  }
}
