import Foundation

/// An interned identifier. Equal names have equal ids, so the resolver compares integers, not strings.
public struct Name: Hashable, Sendable, Comparable {
  public let id: Int32
  public init(id: Int32) { self.id = id }
  public static func < (a: Name, b: Name) -> Bool { a.id < b.id }
}

/// Interns identifier bytes into `Name`s with one open-addressing hash table (FNV-1a over the bytes), so lexing
/// a name costs one hash and, on a hit, one byte comparison; no `String` is built for names already seen.
///
/// Thread-safe: files are lexed in parallel, each lexer with its own `NameCache` in front of this table, so
/// the lock is taken only the first time a worker meets a name.
public final class NameTable: @unchecked Sendable {
  private var spellings: [String] = []
  private var bytes: [[UInt8]] = []
  private var slots: [Int32]
  private var mask: Int
  private let lock = NSLock()

  /// The keywords, interned first so that their ids are `0..<keywords.count` in this order.
  static let keywords: [(String, TokenKind)] = [
    ("func", .kwFunc), ("let", .kwLet), ("var", .kwVar), ("if", .kwIf), ("else", .kwElse), ("for", .kwFor),
    ("in", .kwIn), ("return", .kwReturn), ("is", .kwIs), ("nil", .kwNil), ("true", .kwTrue), ("false", .kwFalse),
    ("self", .kwSelf),
  ]

  public init() {
    slots = Array(repeating: -1, count: 1024)
    mask = 1023
    for (k, _) in NameTable.keywords { _ = intern(k) }
  }

  /// The spelling of a name.
  public func string(_ name: Name) -> String {
    lock.lock()
    defer { lock.unlock() }
    return spellings[Int(name.id)]
  }

  public var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return spellings.count
  }

  /// Interns a Swift string.
  public func intern(_ s: String) -> Name {
    let u = Array(s.utf8)
    return u.withUnsafeBufferPointer { intern($0, 0, u.count) }
  }

  /// Interns `buf[start..<end]`.
  public func intern(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Name {
    lock.lock()
    defer { lock.unlock() }
    return internLocked(buf, start, end)
  }

  private func internLocked(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Name {
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

/// A lexer's private front for a `NameTable`: the same open-addressing scheme without a lock; a miss goes to
/// the shared table once.
final class NameCache {
  let table: NameTable
  private var keys: [[UInt8]] = []
  private var ids: [Int32] = []
  private var slots: [Int32]
  private var mask: Int

  init(_ table: NameTable) {
    self.table = table
    slots = Array(repeating: -1, count: 512)
    mask = 511
  }

  func intern(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Name {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in start..<end { h = (h ^ UInt64(buf[i])) &* 0x100_0000_01b3 }
    var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    let len = end - start
    while true {
      let k = slots[slot]
      if k < 0 { break }
      let candidate = keys[Int(k)]
      if candidate.count == len {
        var same = true
        candidate.withUnsafeBufferPointer { c in
          for j in 0..<len where c[j] != buf[start + j] {
            same = false
            break
          }
        }
        if same { return Name(id: ids[Int(k)]) }
      }
      slot = (slot + 1) & mask
    }
    let name = table.intern(buf, start, end)
    slots[slot] = Int32(keys.count)
    keys.append(Array(buf[start..<end]))
    ids.append(name.id)
    if keys.count * 2 > slots.count { grow() }
    return name
  }

  private func grow() {
    let newCount = slots.count * 2
    slots = Array(repeating: -1, count: newCount)
    mask = newCount - 1
    for (i, b) in keys.enumerated() {
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
      var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(i)
    }
  }
}
