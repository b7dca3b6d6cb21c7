/// An interned identifier. Equal names have equal ids, so the resolver compares integers, not strings.
public struct Name: Hashable, Sendable, Comparable {
  public let id: Int32
  public init(id: Int32) { self.id = id }
  public static func < (a: Name, b: Name) -> Bool { a.id < b.id }
}

/// Interns identifier bytes into `Name`s with one open-addressing hash table (FNV-1a over the bytes), so lexing
/// a name costs one hash and, on a hit, one byte comparison; no `String` is built for names already seen.
public final class NameTable: @unchecked Sendable {
  private var spellings: [String] = []
  private var bytes: [[UInt8]] = []
  private var slots: [Int32]
  private var mask: Int

  public init() {
    slots = Array(repeating: -1, count: 1024)
    mask = 1023
  }

  /// The spelling of a name.
  public func string(_ name: Name) -> String { spellings[Int(name.id)] }

  public var count: Int { spellings.count }

  /// Interns a Swift string.
  public func intern(_ s: String) -> Name {
    let u = Array(s.utf8)
    return u.withUnsafeBufferPointer { intern($0, 0, u.count) }
  }

  /// Interns `buf[start..<end]`.
  public func intern(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Name {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in start..<end {
      h = (h ^ UInt64(buf[i])) &* 0x100_0000_01b3
    }
    var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    let len = end - start
    while true {
      let id = slots[slot]
      if id < 0 { break }
      let candidate = bytes[Int(id)]
      if candidate.count == len {
        var same = true
        candidate.withUnsafeBufferPointer { c in
          for j in 0..<len where c[j] != buf[start + j] {
            same = false
            break
          }
        }
        if same { return Name(id: id) }
      }
      slot = (slot + 1) & mask
    }
    let id = Int32(spellings.count)
    let slice = Array(buf[start..<end])
    bytes.append(slice)
    spellings.append(String(decoding: slice, as: UTF8.self))
    slots[slot] = id
    if spellings.count * 2 > slots.count { grow() }
    return Name(id: id)
  }

  private func grow() {
    let newCount = slots.count * 2
    slots = Array(repeating: -1, count: newCount)
    mask = newCount - 1
    for (i, b) in bytes.enumerated() {
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
      var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(i)
    }
  }
}
