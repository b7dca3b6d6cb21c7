/// MetaLint: the call graph, context facts and rules over a checked ModelDSL program.
public enum MetaLintModule {}
