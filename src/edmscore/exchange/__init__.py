"""Interchange formats: MEDO messages and containers (:mod:`edmscore.exchange.medo`)."""
