import ModelDSL

/// Applies `// metalint:ignore` comments (spec §3) to findings, and reports the ones that silenced nothing.
///
/// A comment alone on its line covers the statement or member that begins next; a trailing comment covers the
/// innermost statement or member on its line. A finding is also silenced by a comment covering a declaration
/// one of its notes points at: `// metalint:ignore dropped-unused-context` above a callee's `func` silences
/// that rule at every call into it. A statement covers all its lines; a compound statement (`if`,
/// `for`) or a method only its header, so one comment never hides a whole body.
struct Suppressions {
  struct Entry {
    let comment: SuppressionComment
    /// Covered lines (0-based, inclusive) of the file; nil for a whole-file comment.
    let lines: ClosedRange<Int>?
    var used: Set<String> = []
  }

  var entries: [Int32: [Entry]] = [:]

  init(program: Program) {
    for unit in program.units where !unit.isPrelude {
      let file = unit.file
      let spans = unit.suppressibleSpans
      var list: [Entry] = []
      for c in unit.suppressions {
        if c.wholeFile {
          list.append(Entry(comment: c, lines: nil))
          continue
        }
        let commentLine = file.lineIndex(of: Int(c.range.start))
        var covered: SourceRange?
        if c.standsAlone {
          covered = spans.filter { $0.range.start >= c.range.end }
            .min { ($0.range.start, -$0.range.end) < ($1.range.start, -$1.range.end) }?.headRange
        } else {
          covered = spans.filter {
            file.lineIndex(of: Int($0.headRange.start)) <= commentLine
              && commentLine <= file.lineIndex(of: Int($0.headRange.end))
          }.min { ($0.headRange.end - $0.headRange.start) < ($1.headRange.end - $1.headRange.start) }?.headRange
        }
        let lines: ClosedRange<Int>
        if let covered {
          lines = file.lineIndex(of: Int(covered.start))...file.lineIndex(of: max(Int(covered.start), Int(covered.end) - 1))
        } else {
          lines = commentLine...commentLine
        }
        list.append(Entry(comment: c, lines: lines))
      }
      entries[Int32(file.id)] = list
    }
  }

  /// Removes suppressed findings, remembering which comments were used.
  mutating func filter(_ findings: [Diagnostic], sources: SourceManager) -> [Diagnostic] {
    findings.filter { d in
      // The finding's own place, then the declarations its notes point at: a comment on a callee's
      // declaration silences the rule at every call into it (contextcheck's nolint on the callee).
      let places = [d.range] + d.notes.compactMap { $0.range }
      var suppressed = false
      for place in places {
        guard var list = entries[place.file], !list.isEmpty else { continue }
        let line = sources.file(place).lineIndex(of: Int(place.start))
        for i in list.indices where list[i].comment.rules.contains(d.rule) {
          // A whole-file comment covers only findings in its own file, not notes pointing into it.
          if list[i].lines.map({ $0.contains(line) }) ?? (place == d.range) {
            list[i].used.insert(d.rule)
            suppressed = true
          }
        }
        entries[place.file] = list
        if suppressed { break }
      }
      return !suppressed
    }
  }


  /// `unused-suppression` findings for comments that silenced nothing, and for unknown rule names. A comment
  /// naming several rules counts as used when any of them silenced something; rules turned off by
  /// configuration are not reported, since the comment may matter where they are on.
  func unused(enabled: Set<String>) -> [Diagnostic] {
    var out: [Diagnostic] = []
    for (_, list) in entries.sorted(by: { $0.key < $1.key }) {
      for e in list {
        for rule in e.comment.rules where Registry.rule(rule) == nil {
          out.append(Diagnostic(.warning, rule: "unused-suppression", at: e.comment.range,
                                "unknown rule '\(rule)' in suppression comment"))
        }
        let known = e.comment.rules.filter { Registry.rule($0) != nil && enabled.contains($0) }
        if e.used.isEmpty && !known.isEmpty {
          let list = known.map { "'\($0)'" }.joined(separator: ", ")
          out.append(Diagnostic(.warning, rule: "unused-suppression", at: e.comment.range,
                                "suppression of \(list) silences nothing"))
        }
      }
    }
    return out
  }
}
