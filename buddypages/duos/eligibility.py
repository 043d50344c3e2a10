"""Hard rules a volunteer must meet before matching may propose them (information note
acknowledged, insured, basic training when the programme asks it). Owner: the volunteer
feature."""

from __future__ import annotations
