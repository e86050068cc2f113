"""`course new`: copy the starter course, which shows every page kind and directive by example."""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import click

STARTER = resources.files("builder") / "starter"


def create_starter(directory: Path) -> None:
    """Copy the starter into a new or empty folder; never overwrite a trainer's files."""
    if directory.exists() and not directory.is_dir():
        raise click.ClickException(f"{directory} is a file: choose a new folder for the course")
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} is not empty: choose a new folder for the course")
    with resources.as_file(STARTER) as starter:
        shutil.copytree(starter, directory, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))
