"""Rasa SDK action server of the assistant (`python -m actions`).

rasa_sdk imports every module of this package at start-up, so no module may do heavy work at
import time: the retriever (FAISS index, embedding model) is created lazily by `actions.deps`
and warmed up once by `actions.__main__`.
"""
