import Foundation

/// The `metalint` command. Work runs on a thread with a large stack so that deeply nested input is
/// diagnosed, never a crash.
enum CLI {
nonisolated(unsafe) static let commands: [any Command.Type] = [
  CheckCommand.self, FixCommand.self, RunCommand.self, CompileCommand.self, RulesCommand.self,
  ExplainCommand.self,
]

static let topHelp = """
  OVERVIEW: metalint finds every call that drops, mis-passes or fails to thread a forward context
  (forwardMeta) through Mixture-of-Experts model code written in ModelDSL, fixes them, runs and compiles models.

  USAGE: metalint <subcommand> [options]

  SUBCOMMANDS:
  \(commands.map { "  " + $0.name.padding(toLength: 9, withPad: " ", startingAt: 0) + $0.abstract }.joined(separator: "\n"))

  See 'metalint <subcommand> --help' for the options of each.

  """

static func dispatch(_ argv: [String]) -> Int32 {
  guard let first = argv.first else {
    printError(topHelp)
    return 2
  }
  if first == "--help" || first == "-h" || first == "help" {
    printOut(topHelp)
    return 0
  }
  if first == "--version" {
    printOut("metalint 0.1.0\n")
    return 0
  }
  guard let command = commands.first(where: { $0.name == first }) else {
    printError("metalint: error: unknown subcommand '\(first)'; see 'metalint --help'")
    return 2
  }
  let rest = Array(argv.dropFirst())
  if rest.contains("--help") || rest.contains("-h") {
    printOut(command.help)
    return 0
  }
  do {
    return try command.run(rest)
  } catch {
    printError("metalint: error: \(error)")
    return 2
  }
}

}

final class ExitStatus: @unchecked Sendable {
  var value: Int32 = 0
}

let status = ExitStatus()
let done = DispatchSemaphore(value: 0)
let arguments = Array(CommandLine.arguments.dropFirst())
let worker = Thread {
  status.value = CLI.dispatch(arguments)
  done.signal()
}
worker.stackSize = 512 << 20
worker.start()
done.wait()
exit(status.value)
