import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL

/// `metalint check`: report every finding.
enum CheckCommand: Command {
  static let name = "check"
  static let abstract = "Check ModelDSL files for dropped, mis-passed and unthreaded contexts."
  static let usage = """
    metalint check [PATH…] [--format text|json|sarif|github] [--select RULES] [--ignore RULES] [--strict] \
    [--baseline FILE] [--write-baseline FILE] [--stdin-filename PATH] [--no-color]
    """
  static let discussion = """
    OPTIONS:
      --format <format>   text (the default), json, sarif (SARIF 2.1.0 for GitHub code scanning) or github
                          (workflow annotations); text and github show at most \(TextReporter.maxPerFile) findings per file
                          and say how many more there are, json and sarif (for machines) show them all
      --select <rules>    comma-separated rule identifiers to run; the default is all ('metalint rules')
      --ignore <rules>    comma-separated rule identifiers not to run
      --strict            warnings fail the run too
      --write-baseline <file>  record every current finding in a baseline file and exit 0
      --baseline <file>   leave out findings the baseline records (matched on file, rule, message and line
                          text, not line number), so only new ones are reported; files are recorded relative
                          to the directory of the settings file, else of the git repository
      --stdin-filename <path>  check the file read from '-' (standard input) as this path: its directory
                          gives the rest of the program and the settings
      --no-color          no colour even on a terminal (so does the NO_COLOR environment variable)
      -h, --help          show this help

    A PATH is a file or a directory searched recursively for *.mdl (a directory link is followed once);
    with no PATH, the current directory; '-' reads one file from standard input. A named file is checked as
    part of the program of its directory: every *.mdl file there and below is read too, but findings are
    reported only for the files named (and the files inside named directories).
    Settings come from the nearest .metalint.json above the PATHs, then from the options; PATHs under
    different settings files are refused (check them in separate runs).

    EXIT STATUS: 0 no error findings (and, with --strict, no warnings); 1 findings; 2 the command could not
    do its work (bad option, unreadable path, no files to check, bad configuration).
    """

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: ["format", "select", "ignore", "baseline", "write-baseline", "stdin-filename"],
                        flags: ["strict", "no-color", "help"])
    if o.flags.contains("help") {
      printOut(help)
      return 0
    }
    let format = try format(o)
    let stdinName = o.values["stdin-filename"]
    if stdinName != nil && !o.positional.contains("-") {
      throw UsageError("'--stdin-filename' needs the PATH '-' (standard input)")
    }
    if o.positional.filter({ $0 == "-" }).count > 1 { throw UsageError("'-' (standard input) given twice") }
    let settings = try Settings.resolve(o.positional, stdinName: stdinName)
    let config = try configuration(o, settings: settings)
    let timing = ProcessInfo.processInfo.environment["METALINT_TIMING"] != nil
    var clock = DispatchTime.now().uptimeNanoseconds
    func lap(_ what: String) {
      guard timing else { return }
      let now = DispatchTime.now().uptimeNanoseconds
      printError(String(format: "timing: %@ %.1f ms", what, Double(now - clock) / 1e6))
      clock = now
    }
    var stdin: (name: String, bytes: [UInt8])?
    if o.positional.contains("-") {
      guard let bytes = readAll(0) else { throw UsageError("cannot read standard input") }
      stdin = (stdinName ?? "<stdin>", bytes)
    }
    let collected = try Inputs.collect(o.positional, stdin: stdin, withContext: true)
    lap("read")
    var result = Linter.check(files: collected.files, configuration: config)
    lap("parse, check and lint")
    result = Settings.reportedOnly(result, named: Set(collected.named.map { collected.files[$0].path }))
    let baselineKey = settings.baselineKey
    if let path = o.values["write-baseline"] {
      do {
        let text = Baseline(result, fileKey: baselineKey).serialized()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
      } catch {
        throw UsageError("\(path): cannot write baseline")
      }
      printOut("wrote \(result.findings.count) finding\(result.findings.count == 1 ? "" : "s") to baseline \(path)\n")
      return 0
    }
    if let path = o.values["baseline"] {
      do {
        result = try Baseline(contentsOf: path).filter(result, fileKey: baselineKey)
        result.reportedFileCount = collected.named.count
      } catch let e as Baseline.FormatError {
        throw UsageError(e.description)
      }
    }
    let color = format == .text && !o.flags.contains("no-color") && useColor()
    printOut(Reporter.render(result, format: format, color: color))
    lap("report")
    // The process ends right after: tearing down the syntax trees object by object would cost a tenth of the
    // run, so the result is kept alive until exit.
    KeepAlive.shared.value = result
    return exitStatus(result, config)
  }

  static func format(_ o: Options) throws -> OutputFormat {
    guard let f = o.values["format"] else { return .text }
    guard let format = OutputFormat(rawValue: f) else {
      throw UsageError("unknown format '\(f)' (expected text, json, sarif or github)")
    }
    return format
  }

  /// The project file's settings, overridden by the command line.
  static func configuration(_ o: Options, settings: Settings) throws -> Configuration {
    var config = Configuration()
    if let path = settings.file {
      do {
        config = try Configuration.load(path: path)
      } catch let e as Configuration.LoadError {
        throw UsageError(e.description)
      }
    }
    for option in ["select", "ignore"] {
      guard let s = o.values[option] else { continue }
      let rules = Configuration.ruleList(s)
      if rules.isEmpty { throw UsageError("option '--\(option)' needs at least one rule identifier") }
      if option == "select" { config.select = rules } else { config.ignore.formUnion(rules) }
    }
    if o.flags.contains("strict") { config.strict = true }
    do {
      try config.validate()
    } catch let e as Configuration.LoadError {
      throw UsageError(e.description)
    }
    return config
  }

  static func exitStatus(_ result: LintResult, _ config: Configuration) -> Int32 {
    if result.errorCount > 0 { return 1 }
    if config.strict && result.warningCount > 0 { return 1 }
    return 0
  }

  static func useColor() -> Bool {
    let env = ProcessInfo.processInfo.environment
    if env["NO_COLOR"] != nil { return false }
    if env["TERM"] == "dumb" { return false }
    return isatty(1) != 0
  }
}

/// Holds what is cheaper to let the process exit with than to free.
final class KeepAlive: @unchecked Sendable {
  static let shared = KeepAlive()
  var value: Any?
}
