/// Binds a call's arguments to parameters as Python does (spec §6): positional arguments fill parameters in
/// order, a labelled argument fills the parameter of that name, defaults fill the rest.
public enum ArgumentBinder {
  public struct Result: Sendable {
    /// For each parameter, the argument bound to it.
    public var binding: [Int?]
    public var issues: [BindingIssue]
    /// Labelled arguments that come before a labelled argument of an earlier parameter.
    public var outOfOrder: [Int]
  }

  public static func bind(params ps: [ParamInfo], labels: [Name?], types: [Ty]) -> Result {
    var binding = [Int?](repeating: nil, count: ps.count)
    var issues: [BindingIssue] = []
    var seenLabel = false
    var position = 0
    for (i, label) in labels.enumerated() {
      if let label {
        seenLabel = true
        guard let pi = ps.firstIndex(where: { $0.name == label }) else {
          issues.append(.unknownLabel(argument: i))
          continue
        }
        if binding[pi] != nil {
          issues.append(.filledTwice(argument: i, parameter: pi))
          continue
        }
        binding[pi] = i
      } else {
        if seenLabel {
          issues.append(.positionalAfterLabelled(argument: i))
          continue
        }
        if position >= ps.count {
          issues.append(.tooManyPositional(argument: i))
          continue
        }
        binding[position] = i
        position += 1
      }
    }
    for (pi, ai) in binding.enumerated() {
      if let ai, !types[ai].fits(ps[pi].type) { issues.append(.typeMismatch(argument: ai, parameter: pi)) }
    }
    // After a positional argument that follows a labelled one the call is malformed (Python rejects it
    // outright); the parameter that argument meant to fill is not also reported missing.
    let malformed = issues.contains { if case .positionalAfterLabelled = $0 { return true } else { return false } }
    for pi in 0..<ps.count where binding[pi] == nil && !ps[pi].hasDefault && !malformed {
      issues.append(.missing(parameter: pi))
    }
    var outOfOrder: [Int] = []
    var highest = -1
    var paramOfArgument = [Int?](repeating: nil, count: labels.count)
    for (pi, ai) in binding.enumerated() { if let ai { paramOfArgument[ai] = pi } }
    for (i, label) in labels.enumerated() where label != nil {
      guard let pi = paramOfArgument[i] else { continue }
      if pi < highest { outOfOrder.append(i) } else { highest = pi }
    }
    return Result(binding: binding, issues: issues, outOfOrder: outOfOrder)
  }
}
