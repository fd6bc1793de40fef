"""Print libpg_query's verdict on each SQL file given, one line per file: `<path> OK` or
`<path> ERR`. Every statement is parsed with parse_sql; every
CREATE FUNCTION / CREATE PROCEDURE / DO in LANGUAGE plpgsql is also compiled with parse_plpgsql
(a DO body is wrapped in a function first), which parses the embedded SQL too."""
import sys

import pglast
from pglast import parser


def verdict(text):
    try:
        stmts = parser.parse_sql(text)
    except parser.ParseError:
        return "ERR"
    for raw in stmts:
        start = raw.stmt_location
        end = start + raw.stmt_len if raw.stmt_len else len(text)
        src = text[start:end]
        node = raw.stmt
        kind = type(node).__name__
        if kind == "DoStmt":
            # The body after DO, wrapped in a function so parse_plpgsql compiles it.
            dollar = src.find("$")
            if dollar < 0:
                continue
            head = "CREATE FUNCTION nova_do() RETURNS void LANGUAGE plpgsql AS "
            src = head + src[dollar:]
        elif kind != "CreateFunctionStmt":
            continue
        elif "plpgsql" not in src.lower():
            continue
        try:
            pglast.parse_plpgsql(src)
        except parser.ParseError:
            # parse_plpgsql gives no position.
            return "ERR"
    return "OK"


for path in sys.argv[1:]:
    print(path, verdict(open(path, encoding="utf-8").read()))
