import MetaCore

/// Applies `metalint:ignore` comments to findings, and reports the ones that silenced nothing. The front end
/// says which lines each comment covers; a finding is silenced by a comment covering its line, or one of its
/// notes' lines: a comment above a callee's declaration silences that rule at every call into it.
struct Suppressions {
  struct Entry {
    let comment: ModelSuppression
    var used = false
  }

  var entries: [Entry] = []
  /// Entry indices by file.
  var byFile: [Int32: [Int]] = [:]

  init(model: CheckedModel) {
    for s in model.suppressions where model.isEditable(s.range) {
      byFile[s.range.file, default: []].append(entries.count)
      entries.append(Entry(comment: s))
    }
  }

  /// Removes suppressed findings, remembering which comments were used.
  mutating func filter(_ findings: [Diagnostic], sources: SourceManager) -> [Diagnostic] {
    guard !entries.isEmpty else { return findings }
    return findings.filter { d in
      // The finding's own place, then the declarations its notes point at.
      var places = [d.range]
      places += d.notes.compactMap { $0.range }
      for place in places {
        guard let list = byFile[place.file] else { continue }
        let line = sources.file(place).lineIndex(of: Int(place.start))
        var suppressed = false
        for i in list where entries[i].comment.rules.contains(d.rule) {
          // A whole-file comment covers only findings in its own file, not notes pointing into it.
          if entries[i].comment.lines.map({ $0.contains(line) }) ?? (place == d.range) {
            entries[i].used = true
            suppressed = true
          }
        }
        if suppressed { return false }
      }
      return true
    }
  }

  /// `unused-suppression` findings for comments that silenced nothing, and for unknown rule names. A comment
  /// naming several rules counts as used when any of them silenced something; rules turned off by
  /// configuration are not reported, since the comment may matter where they are on.
  func unused(enabled: Set<String>) -> [Diagnostic] {
    var out: [Diagnostic] = []
    for file in byFile.keys.sorted() {
      for i in byFile[file]! {
        let e = entries[i]
        for rule in e.comment.rules where Registry.rule(rule) == nil {
          out.append(Diagnostic(.warning, rule: "unused-suppression", at: e.comment.range,
                                "unknown rule '\(rule)' in suppression comment"))
        }
        let known = e.comment.rules.filter { Registry.rule($0) != nil && enabled.contains($0) }
        if !e.used && !known.isEmpty {
          let list = known.map { "'\($0)'" }.joined(separator: ", ")
          out.append(Diagnostic(.warning, rule: "unused-suppression", at: e.comment.range,
                                "suppression of \(list) silences nothing"))
        }
      }
    }
    return out
  }
}
