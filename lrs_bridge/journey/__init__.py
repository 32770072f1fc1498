"""The employee-journey domain: the mapping model, and (later) progress, skills, gaps, alerts.

Pure: plain dataclasses in and out, no Flask, SQLAlchemy, requests or marshmallow.
"""
