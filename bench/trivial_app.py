"""The framework's ceiling for bench/load.py: one Flask route returning a constant JSON object."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant():
    return {"ok": True}
