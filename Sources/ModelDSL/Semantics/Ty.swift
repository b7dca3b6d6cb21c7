/// A checked type. Unions are flat, deduplicated and ordered, with at least two alternatives; `T?` is the
/// union of `T` and `nil`, so optionals and `if … else …` fields narrow the same way.
public indirect enum Ty: Hashable, @unchecked Sendable {
  case int, float, bool, string, tensor, void, nilType, rangeType
  /// Something already diagnosed; fits everywhere so that one error does not cascade.
  case error
  /// A config or context (see `RecordDecl.isContext`).
  case record(RecordDecl)
  case layer(LayerDecl)
  case list(Ty)
  case union([Ty])

  public static func == (a: Ty, b: Ty) -> Bool {
    switch (a, b) {
    case (.int, .int), (.float, .float), (.bool, .bool), (.string, .string), (.tensor, .tensor),
      (.void, .void), (.nilType, .nilType), (.rangeType, .rangeType), (.error, .error):
      return true
    case (.record(let x), .record(let y)): return x === y
    case (.layer(let x), .layer(let y)): return x === y
    case (.list(let x), .list(let y)): return x == y
    case (.union(let x), .union(let y)): return x == y
    default: return false
    }
  }

  public func hash(into h: inout Hasher) {
    h.combine(sortKey)
    switch self {
    case .list(let t): t.hash(into: &h)
    case .union(let ts): for t in ts { t.hash(into: &h) }
    default: break
    }
  }

  /// A stable order for union alternatives: declaration position for named types.
  var sortKey: Int64 {
    switch self {
    case .int: return 1
    case .float: return 2
    case .bool: return 3
    case .string: return 4
    case .tensor: return 5
    case .void: return 6
    case .rangeType: return 7
    case .error: return 8
    case .list: return 9
    case .union: return 10
    case .record(let d): return 1 << 40 | Int64(d.nameRange.file) << 32 | Int64(d.nameRange.start)
    case .layer(let d): return 2 << 40 | Int64(d.nameRange.file) << 32 | Int64(d.nameRange.start)
    case .nilType: return 3 << 40
    }
  }

  /// The union of some types, flattened and simplified (`A | A` is `A`).
  public static func union(of types: [Ty]) -> Ty {
    if types.count == 1, !types[0].isUnion { return types[0] }
    if types.count == 2, types[0] == types[1], !types[0].isUnion { return types[0] }
    var flat: [Ty] = []
    for t in types {
      if case .union(let inner) = t { flat.append(contentsOf: inner) } else { flat.append(t) }
    }
    if flat.contains(.error) { return .error }
    var unique: [Ty] = []
    if flat.count <= 8 {
      for t in flat where !unique.contains(t) { unique.append(t) }
    } else {
      // Python's unions of overrides hold dozens of alternatives: deduplicate by hashing, not by scanning.
      var seen = Set<Ty>()
      for t in flat where seen.insert(t).inserted { unique.append(t) }
    }
    unique.sort { $0.sortKey < $1.sortKey }
    if unique.isEmpty { return .error }
    return unique.count == 1 ? unique[0] : .union(unique)
  }

  public static func optional(_ t: Ty) -> Ty { union(of: [t, .nilType]) }

  var isUnion: Bool {
    if case .union = self { return true }
    return false
  }

  /// The alternatives of a union, or the type itself.
  public var alternatives: [Ty] {
    if case .union(let ts) = self { return ts }
    return [self]
  }

  public var containsNil: Bool { alternatives.contains(.nilType) }

  /// Whether the type is or holds an already diagnosed type (`[<<error>>]` for `[Ghost]`).
  public var containsError: Bool {
    switch self {
    case .error: return true
    case .list(let t): return t.containsError
    case .union(let ts): return ts.contains { $0.containsError }
    default: return false
    }
  }

  /// The type with `nil` removed (`T?` → `T`); `nil` alone stays `nil`.
  public var nonNil: Ty {
    guard case .union(let ts) = self, ts.contains(.nilType) else { return self }
    let rest = ts.filter { $0 != .nilType }
    return rest.isEmpty ? self : Ty.union(of: rest)
  }

  /// The context declaration when this is `C` or `C?` for a context `C`.
  public var contextDecl: RecordDecl? {
    switch self {
    case .record(let d): return d.isContext ? d : nil
    case .union: if case .record(let d) = nonNil, d.isContext { return d }
    default: break
    }
    return nil
  }

  /// Whether a value of type `self` may be passed where `param` is expected (spec §6): `T?` fits `T`, `nil`
  /// fits any `T?`, a union fits when every alternative fits, `Int` fits `Float`.
  public func fits(_ param: Ty) -> Bool {
    if containsError || param.containsError { return true }
    if self == param { return true }
    if case .union(let alts) = self {
      let rest = alts.filter { $0 != .nilType }
      return rest.allSatisfy { $0.fits(param) }
    }
    if self == .nilType { return param.containsNil }
    if case .union(let palts) = param { return palts.contains { self.fits($0) } }
    switch (self, param) {
    case (.int, .float): return true
    case (.list(let a), .list(let b)): return a.fits(b)
    default: return false
    }
  }

  /// How the type is written in messages: `Tensor`, `[Linear]`, `ForwardMeta?`, `A | B`.
  public func describe(_ names: NameTable) -> String {
    switch self {
    case .int: return "Int"
    case .float: return "Float"
    case .bool: return "Bool"
    case .string: return "String"
    case .tensor: return "Tensor"
    case .void: return "Void"
    case .nilType: return "nil"
    case .rangeType: return "Range"
    case .error: return "<<error>>"
    case .record(let d): return names.string(d.name)
    case .layer(let d): return names.string(d.name)
    case .list(let t): return "[\(t.describe(names))]"
    case .union(let ts):
      let rest = ts.filter { $0 != .nilType }
      if rest.count == 1 { return rest[0].describe(names) + "?" }
      let body = rest.map { $0.describe(names) }.joined(separator: " | ")
      return ts.count != rest.count ? "(\(body))?" : body
    }
  }
}
