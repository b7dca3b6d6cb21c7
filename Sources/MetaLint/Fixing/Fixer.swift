import MetaCore

/// `metalint fix`: applies fix-its, re-checks, and repeats until nothing fixable remains.
///
/// Each round takes the fixes of the current findings in source order, skipping any whose edits conflict
/// with one already taken (it comes back next round, against the updated text). Threading a context up the
/// call graph is this loop: adding the parameter to a method turns its callers' calls into new findings,
/// fixed in the next round, up to the roots. A program whose fixed form has a syntax or type error the
/// original did not have is refused. The fixer knows no language: `check` parses, checks and lints files.
public enum Fixer {
  public struct Options: Sendable {
    public var unsafeFixes = false
    public var maxRounds = 64
    public init(unsafeFixes: Bool = false, maxRounds: Int = 64) {
      self.unsafeFixes = unsafeFixes
      self.maxRounds = maxRounds
    }
  }

  public struct Outcome: @unchecked Sendable {
    /// New contents of every file that changed, by path.
    public var changed: [String: [UInt8]]
    /// What was fixed, as reported when it was fixed (message and rule; positions of that round).
    public var fixed: [(rule: String, message: String, path: String, line: Int)]
    /// The check of the final program.
    public var remaining: LintResult
    public var rounds: Int
    public var converged: Bool
    /// Non-nil when the fixes would introduce an error: nothing may be written.
    public var refusal: String?
  }

  public typealias Files = [(path: String, bytes: [UInt8])]

  public static func fix(files: Files, options: Options = Options(), check: (Files) -> LintResult) -> Outcome {
    var current = files
    var fixed: [(rule: String, message: String, path: String, line: Int)] = []
    var inputIndex: [String: Int] = [:]
    for (i, f) in files.enumerated() { inputIndex[f.path] = i }
    let original = check(files)
    var result = original
    var rounds = 0
    var converged = false
    while rounds < options.maxRounds {
      let taken = choose(result, unsafe: options.unsafeFixes)
      if taken.isEmpty {
        converged = true
        break
      }
      rounds += 1
      var editsByFile: [Int32: [TextEdit]] = [:]
      for (d, fix) in taken {
        for e in fix.edits { editsByFile[e.range.file, default: []].append(e) }
        let loc = result.sources.location(d.range)
        fixed.append((d.rule, d.message, loc.path, loc.line))
      }
      for (fileID, edits) in editsByFile {
        guard let i = inputIndex[result.sources.files[Int(fileID)].path] else { continue }
        current[i].bytes = EditApplier.apply(edits, to: current[i].bytes)
      }
      result = check(current)
    }
    // Out of rounds: converged all the same when nothing fixable is left.
    if !converged { converged = choose(result, unsafe: options.unsafeFixes).isEmpty }
    var changed: [String: [UInt8]] = [:]
    for (i, f) in current.enumerated() where f.bytes != files[i].bytes { changed[f.path] = f.bytes }
    return Outcome(changed: changed, fixed: fixed, remaining: result, rounds: rounds, converged: converged,
                   refusal: newErrors(before: original, after: result))
  }

  /// The first applicable fix of each finding, in source order, without conflicts; fixes never edit a file
  /// that is not the user's (the prelude, a library).
  static func choose(_ result: LintResult, unsafe: Bool) -> [(Diagnostic, FixIt)] {
    var taken: [(Diagnostic, FixIt)] = []
    var edits = TakenEdits()
    for d in result.findings {
      guard let fix = d.fixIts.first(where: { $0.safety == .safe || unsafe }) else { continue }
      if fix.edits.contains(where: { !result.model.isEditable($0.range) }) { continue }
      if fix.edits.contains(where: { edits.conflicts($0) }) { continue }
      for e in fix.edits { edits.insert(e) }
      taken.append((d, fix))
    }
    return taken
  }

  /// An `unresolved` finding after fixing that was not there before: the fix broke the program.
  public static func newErrors(before: LintResult, after: LintResult) -> String? {
    var counts: [String: Int] = [:]
    for d in before.findings where d.rule == "unresolved" { counts[d.message, default: 0] += 1 }
    for d in after.findings where d.rule == "unresolved" {
      if let c = counts[d.message], c > 0 {
        counts[d.message] = c - 1
      } else {
        let loc = after.sources.location(d.range)
        return "fixing would introduce an error: \(loc.path):\(loc.line):\(loc.column): \(d.message)"
      }
    }
    return nil
  }
}
