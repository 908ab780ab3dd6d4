"""recognitions"""
