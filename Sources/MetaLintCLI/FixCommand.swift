import Foundation
import MetaLint
import ModelDSL

/// `metalint fix`: apply fixes in place, or print them with `--diff`.
enum FixCommand: Command {
  static let name = "fix"
  static let abstract = "Apply the fixes of findings in place (the whole context-threading refactoring)."
  static let usage = "metalint fix [PATH…] [--diff] [--unsafe-fixes] [--select RULES] [--ignore RULES]"
  static let discussion = """
    Applies safe fixes (with --unsafe-fixes, the rest too), re-checks, and repeats until nothing fixable is
    left: adding a missing context parameter to a method makes its callers pass it, up to the methods nothing
    in the program calls. Edits are lossless: bytes outside the edited ranges stay as they were. Files are
    replaced atomically; a file that changed on disk since it was read is not written, and a fix that would
    leave a syntax or type error is not written at all.

    --diff prints a unified diff and writes nothing.

    EXIT STATUS: 0 nothing left to report (with --diff: nothing to fix); 1 findings remain (with --diff:
    something to fix); 2 the command could not do its work.
    """

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: ["select", "ignore"], flags: ["diff", "unsafe-fixes", "no-color"])
    let config = try CheckCommand.configuration(o, settings: Settings.resolve(o.positional, stdinName: nil))
    let files = try Inputs.collect(o.positional)
    let outcome = Fixer.fix(files: files, configuration: config,
                            options: Fixer.Options(unsafeFixes: o.flags.contains("unsafe-fixes")))
    if let refusal = outcome.refusal {
      throw UsageError(refusal + "; no file was written")
    }
    if !outcome.converged {
      printError("metalint: warning: fixes did not converge after \(outcome.rounds) rounds; applying what was done")
    }
    let originals = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
    let paths = outcome.changed.keys.sorted()
    if o.flags.contains("diff") {
      var out = ""
      for p in paths { out += UnifiedDiff.diff(old: originals[p]!, new: outcome.changed[p]!, path: p) }
      printOut(out)
      return paths.isEmpty ? 0 : 1
    }
    for p in paths {
      try SafeWriter.write(outcome.changed[p]!, to: p, expectedOriginal: originals[p]!)
    }
    var out = ""
    for f in outcome.fixed { out += "fixed: \(f.path):\(f.line): \(f.message) [\(f.rule)]\n" }
    let n = outcome.fixed.count
    out += "fixed \(n) finding\(n == 1 ? "" : "s") in \(paths.count) file\(paths.count == 1 ? "" : "s")"
    out += " (\(outcome.rounds) round\(outcome.rounds == 1 ? "" : "s"))\n"
    if !outcome.remaining.findings.isEmpty {
      out += "remaining:\n" + TextReporter.render(outcome.remaining, color: false)
    }
    printOut(out)
    return outcome.remaining.findings.isEmpty ? 0 : 1
  }
}
