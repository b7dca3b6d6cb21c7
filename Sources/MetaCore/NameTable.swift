import Foundation

/// An interned identifier. Equal names have equal ids, so the resolver compares integers, not strings.
public struct Name: Hashable, Sendable, Comparable {
  public let id: Int32
  public init(id: Int32) { self.id = id }
  public static func < (a: Name, b: Name) -> Bool { a.id < b.id }
}

/// Byte strings to ids with open addressing and FNV-1a: one hash and, on a hit, one byte comparison, and no
/// `String` built for a name already seen. Not thread-safe; `NameTable` guards its own with a lock.
struct ByteIndex {
  private(set) var keys: [[UInt8]] = []
  private(set) var values: [Int32] = []
  private var slots: [Int32]
  private var mask: Int

  init(capacity: Int) {
    slots = Array(repeating: -1, count: capacity)
    mask = capacity - 1
  }

  static func hash<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  /// The value stored for `buf[start..<end]`, or the slot where it would go.
  func find(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (value: Int32?, slot: Int) {
    var slot = ByteIndex.hash(UnsafeBufferPointer(rebasing: buf[start..<end])) & mask
    let len = end - start
    while true {
      let k = slots[slot]
      if k < 0 { return (nil, slot) }
      let candidate = keys[Int(k)]
      if candidate.count == len {
        let same = len == 0 || candidate.withUnsafeBufferPointer { c in
          memcmp(c.baseAddress!, buf.baseAddress! + start, len) == 0
        }
        if same { return (values[Int(k)], slot) }
      }
      slot = (slot + 1) & mask
    }
  }

  /// Stores `value` for `key` at `slot` (from a `find` that missed).
  mutating func insert(_ key: [UInt8], _ value: Int32, at slot: Int) {
    slots[slot] = Int32(keys.count)
    keys.append(key)
    values.append(value)
    if keys.count * 2 > slots.count { grow() }
  }

  private mutating func grow() {
    let newCount = slots.count * 2
    slots = Array(repeating: -1, count: newCount)
    mask = newCount - 1
    for (i, key) in keys.enumerated() {
      var slot = ByteIndex.hash(key) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(i)
    }
  }
}

/// The program's interned names. Thread-safe: files are lexed in parallel, each lexer with its own
/// `NameCache` in front of this table, so the lock is taken only the first time a worker meets a name.
public final class NameTable: @unchecked Sendable {
  private var index = ByteIndex(capacity: 1024)
  private var spellings: [String] = []
  private let lock = NSLock()

  /// A table whose first names are `reserved`, so that their ids are `0..<reserved.count` in that order (a
  /// lexer tells its keywords by id).
  public init(reserved: [String] = []) {
    for k in reserved { _ = intern(k) }
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
    let (found, slot) = index.find(buf, start, end)
    if let found { return Name(id: found) }
    let key = Array(buf[start..<end])
    let id = Int32(spellings.count)
    spellings.append(String(decoding: key, as: UTF8.self))
    index.insert(key, id, at: slot)
    return Name(id: id)
  }
}

/// A lexer's private, lock-free front for a `NameTable`: a miss goes to the shared table once.
public final class NameCache {
  public let table: NameTable
  private var index = ByteIndex(capacity: 512)

  public init(_ table: NameTable) { self.table = table }

  public func intern(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Name {
    let (found, slot) = index.find(buf, start, end)
    if let found { return Name(id: found) }
    let name = table.intern(buf, start, end)
    index.insert(Array(buf[start..<end]), name.id, at: slot)
    return name
  }
}
