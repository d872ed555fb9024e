from flask_wtf import FlaskForm
from wtforms import HiddenField


class FirstTimeForm(FlaskForm):
    answer = HiddenField()
