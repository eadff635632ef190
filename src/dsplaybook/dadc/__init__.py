"""dadc"""
