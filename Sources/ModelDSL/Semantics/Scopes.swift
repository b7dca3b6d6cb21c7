/// The block scopes of a method body: one flat stack of locals with the start of each scope. Scopes usually
/// hold a handful of names, so a backward scan beats hashing (Swift's dictionaries hash every key with
/// SipHash); past `indexThreshold` locals an index takes over, so that a method with thousands of locals
/// (generated code) costs time linear in them, not quadratic.
struct Scopes {
  private var vars: [LocalVar] = []
  private var starts: [Int] = []
  /// With the index: the position in `vars` of the innermost local of each name.
  private var innermost: [Name: Int] = [:]
  /// With the index: for each local, the position of the local of the same name it shadows, or -1.
  private var shadowed: [Int] = []
  private var indexed = false

  /// Locals in one method beyond which lookups go through the index.
  static let indexThreshold = 32

  /// `depth` empty scopes.
  init(depth: Int = 0) {
    starts = Array(repeating: 0, count: depth)
  }

  mutating func push() { starts.append(vars.count) }

  mutating func pop() {
    guard let start = starts.popLast() else { return }
    if indexed {
      var i = vars.count - 1
      while i >= start {
        innermost[vars[i].name] = shadowed[i] >= 0 ? shadowed[i] : nil
        i -= 1
      }
      shadowed.removeSubrange(start...)
    }
    vars.removeSubrange(start...)
  }

  /// Declares `v` in the innermost scope.
  mutating func declare(_ v: LocalVar) {
    if starts.isEmpty { starts.append(0) }
    vars.append(v)
    if indexed {
      index(vars.count - 1)
    } else if vars.count > Scopes.indexThreshold {
      indexed = true
      for i in vars.indices { index(i) }
    }
  }

  private mutating func index(_ i: Int) {
    let name = vars[i].name
    shadowed.append(innermost[name] ?? -1)
    innermost[name] = i
  }

  /// The innermost visible local named `n`.
  func lookup(_ n: Name) -> LocalVar? {
    if indexed { return innermost[n].map { vars[$0] } }
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
    if indexed {
      guard let i = innermost[n], i >= start else { return nil }
      return vars[i]
    }
    var i = vars.count - 1
    while i >= start {
      if vars[i].name == n { return vars[i] }
      i -= 1
    }
    return nil
  }
}
