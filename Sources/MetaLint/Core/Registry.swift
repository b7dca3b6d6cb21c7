import MetaCore

/// Every rule metalint has, in the order they run and are listed. A test fails when a rule is missing here or
/// undocumented.
public enum Registry {
  public static let rules: [Rule] = [
    droppedContextRule,
    droppedUnusedContextRule,
    unthreadedContextRule,
    extraArgumentRule,
    argumentTypeRule,
    argumentOrderRule,
    freshContextRule,
    unresolvedRule,
    unusedSuppressionRule,
  ]

  public static func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

  public static var ids: [String] { rules.map { $0.id } }
}
