// The core's vocabulary (sources, names, diagnostics) is part of this module's API.
@_exported import MetaCore
