"""badges"""
