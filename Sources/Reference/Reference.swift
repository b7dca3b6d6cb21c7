/// Reference: the CPU executor. See the dimension legend in Tensor.swift.
public enum ReferenceModule {}
