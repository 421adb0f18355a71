"""Array types shared by the numerical stages (features, scoring, search)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Sentence, token and cell indices.
IntArray = npt.NDArray[np.int64]
#: Lengths, costs, probabilities.
FloatArray = npt.NDArray[np.float64]
