"""Query results as pandas frames, columns in the order the query selects them."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection
from sqlalchemy.sql import Executable


def read_frame(conn: Connection, query: Executable) -> pd.DataFrame:
    result = conn.execute(query)
    return pd.DataFrame(result.all(), columns=list(result.keys()))
