"""represent"""
