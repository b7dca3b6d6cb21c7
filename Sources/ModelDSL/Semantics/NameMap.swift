/// A map from interned names to values: open addressing on the name id with a multiplicative hash. Swift's
/// `Dictionary` hashes every key with SipHash, which showed up as 4% of `check` time for these lookups
/// (fields, methods, top-level declarations).
public struct NameMap<Value>: @unchecked Sendable {
  private var ids: [Int32]
  private var stored: [Value?]
  private var mask: Int
  public private(set) var count = 0

  public init() {
    ids = Array(repeating: -1, count: 8)
    stored = Array(repeating: nil, count: 8)
    mask = 7
  }

  @inline(__always)
  private func slot(_ id: Int32) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: id)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
  }

  public subscript(name: Name) -> Value? {
    get {
      var i = slot(name.id)
      while true {
        let k = ids[i]
        if k == name.id { return stored[i] }
        if k < 0 { return nil }
        i = (i + 1) & mask
      }
    }
    set {
      // Maps only grow here (declarations are never removed), so a nil assignment of an absent key is a no-op.
      var i = slot(name.id)
      while true {
        let k = ids[i]
        if k == name.id {
          stored[i] = newValue
          return
        }
        if k < 0 { break }
        i = (i + 1) & mask
      }
      guard let newValue else { return }
      ids[i] = name.id
      stored[i] = newValue
      count += 1
      if count * 2 > ids.count { grow() }
    }
  }

  private mutating func grow() {
    let oldIDs = ids
    let oldValues = stored
    ids = Array(repeating: -1, count: oldIDs.count * 2)
    stored = Array(repeating: nil, count: oldIDs.count * 2)
    mask = ids.count - 1
    count = 0
    for (k, v) in zip(oldIDs, oldValues) where k >= 0 { self[Name(id: k)] = v }
  }
}
