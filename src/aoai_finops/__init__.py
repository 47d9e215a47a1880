"""FinOps for Azure OpenAI: Cost Management exports and token telemetry to FOCUS costs and unit economics."""

__version__ = "0.1.0"
