"""lineups"""
