/// The block scopes of a method body: one flat stack of locals with the start of each scope. Scopes hold a
/// handful of names, so a backward scan beats hashing (Swift's dictionaries hash every key with SipHash).
struct Scopes {
  private var vars: [LocalVar] = []
  private var starts: [Int] = []

  /// `depth` empty scopes.
  init(depth: Int = 0) {
    starts = Array(repeating: 0, count: depth)
  }

  mutating func push() { starts.append(vars.count) }

  mutating func pop() {
    guard let start = starts.popLast() else { return }
    vars.removeSubrange(start...)
  }

  /// Declares `v` in the innermost scope.
  mutating func declare(_ v: LocalVar) {
    if starts.isEmpty { starts.append(0) }
    vars.append(v)
  }

  /// The innermost visible local named `n`.
  func lookup(_ n: Name) -> LocalVar? {
    var i = vars.count - 1
    while i >= 0 {
      if vars[i].name == n { return vars[i] }
      i -= 1
    }
    return nil
  }

  /// A local named `n` declared in the innermost scope itself.
  func inCurrent(_ n: Name) -> LocalVar? {
    let start = starts.last ?? 0
    var i = vars.count - 1
    while i >= start {
      if vars[i].name == n { return vars[i] }
      i -= 1
    }
    return nil
  }
}
