import Foundation

/// A checked program: every file of one invocation plus the prelude, with types, symbols and call sites
/// filled in, and every syntax, name and type error found.
public final class Program: @unchecked Sendable {
  public let names: NameTable
  public let sources: SourceManager
  public internal(set) var units: [SourceUnit] = []
  /// Syntax errors and semantic errors outside call binding (all `unresolved`).
  public internal(set) var diagnostics: [Diagnostic] = []
  public internal(set) var layers: [LayerDecl] = []
  public internal(set) var records: [RecordDecl] = []
  public internal(set) var externs: [FuncDecl] = []
  public internal(set) var models: [ModelDecl] = []
  /// Every call in the program, in source order per file.
  public internal(set) var callSites: [CallSite] = []
  /// The calls each method makes.
  public internal(set) var callsByCaller: [ObjectIdentifier: [CallSite]] = [:]
  /// For each method, the parameters whose value it reads directly (a field read, or stored), with the first
  /// such read: the base facts for "uses a context".
  public internal(set) var paramReads: [ObjectIdentifier: [Int: SourceRange]] = [:]
  /// The program's own top-level declarations (prelude excluded), by name.
  public internal(set) var globals = NameMap<Decl>()
  /// The prelude's declarations, by name.
  public internal(set) var preludeGlobals = NameMap<Decl>()

  init(names: NameTable, sources: SourceManager) {
    self.names = names
    self.sources = sources
  }

  /// Parses and checks `files` (path, bytes) together with the prelude.
  public static func check(files: [(path: String, bytes: [UInt8])]) -> Program {
    withLargeStack { checkOnThisThread(files: files) }
  }

  static func checkOnThisThread(files: [(path: String, bytes: [UInt8])]) -> Program {
    let names = NameTable.forModelDSL()
    let sources = SourceManager()
    let program = Program(names: names, sources: sources)
    let preludeFile = sources.add(path: Prelude.path, bytes: Array(Prelude.source.utf8))
    let (preludeUnit, preludeDiags) = Parser.parse(preludeFile, names: names, isPrelude: true)
    program.units.append(preludeUnit)
    program.diagnostics.append(contentsOf: preludeDiags)
    let sourceFiles = files.map { sources.add(path: $0.path, bytes: $0.bytes) }
    // Files are lexed and parsed in parallel (each worker with its own name cache), in file order.
    let workers = min(workerCount(), max(1, sourceFiles.count / 8))
    let results = parallelMap(count: sourceFiles.count, workers: workers, state: { NameCache(names) }) { cache, i in
      Parser.parse(sourceFiles[i], cache: cache)
    }
    for (unit, diags) in results {
      program.units.append(unit)
      program.diagnostics.append(contentsOf: diags)
    }
    let t0 = DispatchTime.now().uptimeNanoseconds
    var checker = Checker(program: program)
    checker.run()
    if ProcessInfo.processInfo.environment["METALINT_TIMING"] != nil {
      let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
      FileHandle.standardError.write("timing:   of which check \(ms) ms\n".data(using: .utf8)!)
    }
    return program
  }

  /// Whether a declaration comes from the prelude.
  public func isPrelude(_ range: SourceRange) -> Bool { range.file == 0 }

  /// `Layer.method` or `extern` name, for messages.
  public func qualifiedName(_ f: FuncDecl) -> String {
    if let owner = f.owner { return names.string(owner.name) + "." + names.string(f.name) }
    return names.string(f.name)
  }

  /// The program's user files (the prelude excluded).
  public var userUnits: [SourceUnit] { units.filter { !$0.isPrelude } }
}
