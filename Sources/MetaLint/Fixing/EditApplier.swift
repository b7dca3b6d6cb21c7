import MetaCore

/// Applies text edits to file bytes. Edits are byte ranges of the original; everything outside them stays
/// byte-identical (comments, spacing, CRLF line ends).
public enum EditApplier {
  /// Two edits conflict when their ranges overlap or they start at the same offset (their order would be
  /// ambiguous); identical edits do not conflict: they are one edit.
  public static func conflicts(_ a: TextEdit, _ b: TextEdit) -> Bool {
    guard a.range.file == b.range.file, a != b else { return false }
    if a.range.start == b.range.start { return true }
    return a.range.start < b.range.end && b.range.start < a.range.end
  }

  /// Applies non-conflicting edits of one file (duplicates collapsed), in one forward pass.
  public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
    let sorted = edits.sorted { ($0.range.start, $0.range.end) < ($1.range.start, $1.range.end) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.replacement.utf8.count })
    var position = 0
    var previous: TextEdit?
    for e in sorted {
      if e == previous { continue }
      previous = e
      let lo = max(position, min(Int(e.range.start), bytes.count))
      let hi = max(lo, min(Int(e.range.end), bytes.count))
      out.append(contentsOf: bytes[position..<lo])
      out.append(contentsOf: e.replacement.utf8)
      position = hi
    }
    out.append(contentsOf: bytes[position...])
    return out
  }
}

/// The edits taken so far in one fix round, per file, sorted by start: a new edit is checked against its
/// neighbours only (fixes come in source order, so most insertions are appends).
struct TakenEdits {
  private var byFile: [Int32: [TextEdit]] = [:]

  /// Whether `e` conflicts with an edit already taken.
  func conflicts(_ e: TextEdit) -> Bool {
    guard let list = byFile[e.range.file] else { return false }
    var i = lowerBound(list, e.range.start)
    // The nearest earlier edit may reach over e's start.
    if i > 0, EditApplier.conflicts(list[i - 1], e) { return true }
    while i < list.count, list[i].range.start == e.range.start || list[i].range.start < e.range.end {
      if EditApplier.conflicts(list[i], e) { return true }
      i += 1
    }
    return false
  }

  mutating func insert(_ e: TextEdit) {
    var list = byFile.removeValue(forKey: e.range.file) ?? []
    if let last = list.last, last.range.start <= e.range.start {
      list.append(e)
    } else {
      list.insert(e, at: lowerBound(list, e.range.start))
    }
    byFile[e.range.file] = list
  }

  private func lowerBound(_ list: [TextEdit], _ start: Int32) -> Int {
    var lo = 0
    var hi = list.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if list[mid].range.start < start { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
