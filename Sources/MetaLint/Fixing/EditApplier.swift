import ModelDSL

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

  /// Applies non-conflicting edits of one file (duplicates collapsed).
  public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
    var unique: [TextEdit] = []
    for e in edits where !unique.contains(e) { unique.append(e) }
    var out = bytes
    for e in unique.sorted(by: { $0.range.start > $1.range.start }) {
      let lo = max(0, min(Int(e.range.start), out.count))
      let hi = max(lo, min(Int(e.range.end), out.count))
      out.replaceSubrange(lo..<hi, with: Array(e.replacement.utf8))
    }
    return out
  }
}
