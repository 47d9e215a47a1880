"""Deterministic sample Cost Management exports (FocusCost 1.0r2) and token telemetry for Azure OpenAI."""

from aoai_finops.sample.generator import generate_sample
from aoai_finops.sample.options import SampleError, SampleOptions
from aoai_finops.sample.report import SampleReport

__all__ = ["SampleError", "SampleOptions", "SampleReport", "generate_sample"]
