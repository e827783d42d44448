"""The case interchange format, probation-cases/1 (../shared/INTERCHANGE.md): read, validate, import, export."""

FORMAT = "probation-cases/1"
