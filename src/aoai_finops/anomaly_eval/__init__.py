"""The anomaly detector's evaluation harness: labelled series in, precision / recall / F1 / delay out."""

from aoai_finops.anomaly_eval.harness import Evaluation, EvaluationError, evaluate, format_report
from aoai_finops.anomaly_eval.scoring import Score, score_series
from aoai_finops.anomaly_eval.series import LabelledSeries, SeriesFileError, read_series_folder

__all__ = [
    "Evaluation",
    "EvaluationError",
    "LabelledSeries",
    "Score",
    "SeriesFileError",
    "evaluate",
    "format_report",
    "read_series_folder",
    "score_series",
]
